import { takeRows } from '../adapters/data-sources/dataset-table.js';
import { recencyKeeps } from '../adapters/data-sources/recency-window.js';
import { DriftStatus } from '../domain/monitor/drift-finding.js';
import { PerformanceStatus } from '../domain/monitor/performance-finding.js';
import {
  decideTrigger,
  initialTriggerState,
  nextWakeAt,
  type Trigger,
  type TriggerEvent,
  type TriggerOutcome,
  type TriggerState,
} from '../domain/trigger/index.js';
import { judgeWindow, type WindowEvidence } from './monitor-window.js';
import type { RaisedAlert, ReplayPolicy } from './policies.js';
import { runCycle, type CycleContext, type ServedModel } from './train-cycle.js';

export interface ReplayCycle {
  readonly cycle: number;
  /** Window whose end (or later) the cycle started after; its model serves from `servesFromMs`. */
  readonly window: number;
  readonly startedAtMs: number;
  readonly alerts: readonly RaisedAlert[];
  readonly scheduled: boolean;
  readonly trainedOn: readonly number[];
  readonly promoted: boolean;
  readonly gateSummary: string;
  readonly trainSeconds: number;
  readonly labels: number;
}

export interface ReplayResult {
  readonly policy: ReplayPolicy;
  /** Prequential accuracy of each replayed window (window 1 on; window 0 trains the first model). */
  readonly windowAccuracy: readonly number[];
  readonly cycles: readonly ReplayCycle[];
  readonly alertsRaised: number;
  readonly alertsActedOn: number;
  /** Alerts the policy looked at and left alone, with why (benign drift, for the spec's policy). */
  readonly notActed: readonly { alert: RaisedAlert; reason: string }[];
  /** Labelled rows the performance monitor read (only for a policy that acts on performance alerts). */
  readonly monitoringLabels: number;
}

export interface ReplayOptions {
  readonly context: CycleContext;
  readonly first: ServedModel;
  /** How far back the source's rows reach (the data source's own window); recency narrows it. */
  readonly historyWindows: number;
  /** Simulated duration of a training cycle (snapshot to promotion). */
  readonly cycleMs: number;
  readonly onWindow?: (window: number) => void;
}

interface Timed {
  readonly at: number;
  readonly event: TriggerEvent;
}

/**
 * Replays the stream through one policy on a simulated clock: each window is scored by the
 * model serving at each row's time (prequential), then judged by the monitor; the alerts
 * the policy acts on go to the flywheel's own `decideTrigger` with `now` from the clock, and
 * each `start` runs a real training cycle (trainer + evaluation gate) whose model serves
 * `cycleMs` later if the gate promotes it. Debounce, cooldown and budget wake-ups are timed
 * events on the same clock: nothing waits for real.
 */
export async function replayPolicy(policy: ReplayPolicy, options: ReplayOptions): Promise<ReplayResult> {
  const { context, cycleMs } = options;
  const { stream, spec } = context;
  const windowMs = stream.windowMs;
  let state: TriggerState = initialTriggerState(spec.trigger);
  const serving: { fromMs: number; model: ServedModel }[] = [{ fromMs: 0, model: options.first }];
  const queue: Timed[] = [];
  const cycles: ReplayCycle[] = [];
  const windowAccuracy: number[] = [];
  const notActed: { alert: RaisedAlert; reason: string }[] = [];
  let pendingAlerts: RaisedAlert[] = [];
  let pendingScheduled = false;
  let alertsRaised = 0;
  let monitoringLabels = 0;
  let version = options.first.version;
  const servingAt = (t: number): ServedModel => serving.reduce((m, s) => (s.fromMs <= t ? s.model : m), options.first);
  const schedule = (at: number, event: TriggerEvent) => {
    if (event.type === 'tick' && queue.some((q) => q.at === at && q.event.type === 'tick')) return;
    queue.push({ at, event });
    queue.sort((a, b) => a.at - b.at);
  };

  const handle = async (outcome: TriggerOutcome, now: number): Promise<void> => {
    state = outcome.state;
    const d = outcome.decision;
    if (d.action !== 'start' || d.cycle === undefined) {
      const wake = nextWakeAt(state, d);
      if (wake !== null) schedule(wake, { type: 'tick' });
      return;
    }
    const last = Math.floor(now / windowMs) - 1;
    const alerts = pendingAlerts;
    // The detected change: where the first alert behind this cycle saw it; the oracle's schedule is the change itself.
    const since =
      alerts.length > 0 ? Math.min(...alerts.map((a) => a.window)) : policy.forceScheduled ? last : undefined;
    const keeps = recencyKeeps(last, 1, policy.recency, since);
    const trainedOn: number[] = [];
    for (let w = Math.max(0, last - options.historyWindows + 1); w <= last; w++) if (keeps(w)) trainedOn.push(w);
    const outcomeOfCycle = await runCycle(context, trainedOn, servingAt(now), version + 1);
    if (outcomeOfCycle.promoted) {
      version += 1;
      serving.push({ fromMs: now + cycleMs, model: outcomeOfCycle.candidate });
    }
    cycles.push({
      cycle: d.cycle,
      window: last,
      startedAtMs: now,
      alerts,
      scheduled: pendingScheduled,
      trainedOn,
      promoted: outcomeOfCycle.promoted,
      gateSummary: outcomeOfCycle.gate.reasons
        .filter((r) => r.status === 'failed')
        .map((r) => r.code)
        .join(', '),
      trainSeconds: outcomeOfCycle.trainSeconds,
      labels: outcomeOfCycle.labels,
    });
    pendingAlerts = [];
    pendingScheduled = false;
    schedule(now + cycleMs, { type: 'cycleFinished', cycle: d.cycle });
  };

  const drainUntil = async (end: number) => {
    while (queue.length > 0 && queue[0]!.at < end) {
      const { at, event } = queue.shift()!;
      await handle(decideTrigger(state, event, at), at);
    }
  };

  for (let w = 1; w < stream.windowCount; w++) {
    options.onWindow?.(w);
    const fromMs = w * windowMs;
    const toMs = fromMs + windowMs;
    await drainUntil(toMs);
    const rows = stream.window(w);
    const label = rows.columns[stream.labelName];
    if (!label || label.kind !== 'numeric') throw new Error(`window ${w} has no numeric label "${stream.labelName}"`);
    // Row r arrives at fromMs + (r + ½)/n of the window: rows after a promotion meet the new model.
    const rowTime = (r: number) => fromMs + ((r + 0.5) / rows.rowCount) * windowMs;
    let correct = 0;
    let servedByLast = { rows: [] as number[], correct: 0 };
    const current = servingAt(toMs);
    for (const segment of segmentsOf(rows.rowCount, rowTime, servingAt)) {
      const scores = await segment.model.scorer.score(takeRows(rows, segment.rows));
      const hits = segment.rows.reduce(
        (n, r, i) => n + ((scores[i]! >= segment.model.scorer.labelThreshold ? 1 : 0) === label.values[r] ? 1 : 0),
        0,
      );
      correct += hits;
      if (segment.model === current) servedByLast = { rows: segment.rows, correct: hits };
    }
    windowAccuracy.push(correct / rows.rowCount);

    const evidence = judgeWindow(spec, current, takeRows(rows, servedByLast.rows), servedByLast.correct, {
      window: w,
      fromMs,
      toMs,
    });
    const alerts = raisedAlerts(evidence);
    alertsRaised += alerts.length;
    if (policy.id === 'spec') monitoringLabels += servedByLast.rows.length;
    for (const alert of alerts) {
      const verdict = policy.judge(alert, current, evidence);
      if (!verdict.act) {
        notActed.push({ alert, reason: verdict.reason });
        continue;
      }
      const trigger: Trigger = { kind: alert.kind, score: alert.score, at: toMs, detail: alert.detail.slice(0, 500) };
      const outcome = decideTrigger(state, { type: 'trigger', trigger }, toMs);
      if (outcome.decision.action !== 'ignore') pendingAlerts.push(alert);
      await handle(outcome, toMs);
    }
    if (policy.scheduled.has(w)) {
      pendingScheduled = true;
      const trigger: Trigger = policy.forceScheduled
        ? { kind: 'manual', at: toMs, force: true, requestedBy: policy.id }
        : { kind: 'schedule', at: toMs, source: `backtest:${policy.id}` };
      await handle(decideTrigger(state, { type: 'trigger', trigger }, toMs), toMs);
    }
  }
  return {
    policy,
    windowAccuracy,
    cycles,
    alertsRaised,
    alertsActedOn: cycles.reduce((n, c) => n + c.alerts.length, 0),
    notActed,
    monitoringLabels,
  };
}

/** Consecutive rows served by the same model. */
function segmentsOf(
  rowCount: number,
  rowTime: (r: number) => number,
  servingAt: (t: number) => ServedModel,
): { model: ServedModel; rows: number[] }[] {
  const out: { model: ServedModel; rows: number[] }[] = [];
  for (let r = 0; r < rowCount; r++) {
    const model = servingAt(rowTime(r));
    const lastSegment = out[out.length - 1];
    if (lastSegment && lastSegment.model === model) lastSegment.rows.push(r);
    else out.push({ model, rows: [r] });
  }
  return out;
}

/** The alerts the monitor raises for one window's findings (it raises them whatever the policy then does). */
function raisedAlerts(e: WindowEvidence): RaisedAlert[] {
  const out: RaisedAlert[] = [];
  if (e.drift.status === DriftStatus.drifted)
    out.push({
      kind: 'drift',
      window: e.window,
      score: e.drift.score,
      features: e.drift.driftedFeatures,
      detail: e.drift.summary,
    });
  if (e.performance.status === PerformanceStatus.degraded && e.performance.degradation !== null)
    out.push({
      kind: 'performance',
      window: e.window,
      score: e.performance.degradation,
      features: [],
      detail: e.performance.summary,
    });
  return out;
}
