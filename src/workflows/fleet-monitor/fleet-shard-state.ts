import { z } from 'zod';
import {
  checkOffsetMs,
  isDue,
  nextCheckAfter,
  verdictKey,
  type MonitorFinding,
  type MonitorSignalName,
} from '../../domain/monitor/index.js';
import type { MonitorDriftSettings } from '../../domain/policies/validation-policy.js';
import {
  MonitorFloorsSchema,
  MonitorSettingsSchema,
  type MonitorFloors,
  type MonitorSettings,
} from '../../contracts/production-monitor.js';
import type {
  FleetShardStatus,
  ModelMonitorStatus,
  RegisterMonitoredModelSchema,
  SweepPlan,
  SweepShardResult,
  SweepSummary,
  UpdateModelMonitorSchema,
} from '../../contracts/fleet-monitor.js';

/** Findings kept per model for the query: the latest few that said something new. */
export const RECENT_PER_MODEL = 5;

/** One watched model: plain JSON, so it crosses continue-as-new unchanged. */
export interface ShardModel {
  modelId: string;
  settings: MonitorSettings;
  floors: MonitorFloors;
  drift?: MonitorDriftSettings;
  requestedAtMs?: number;
  checks: number;
  failures: number;
  lastCheckedAtMs: number | null;
  verdict?: string;
  recent: MonitorFinding[];
  lastSignals: { [K in MonitorSignalName]?: number };
  signalsSent: Record<MonitorSignalName, number>;
}

export interface ShardCarried {
  models: Record<string, ShardModel>;
  lastSweepAtMs: number;
  sweeps: number;
  failedSweeps: number;
  lastSweep: SweepSummary | null;
  rejectedInputs: number;
}

/** What continue-as-new hands over, checked so a forged `carried` fails the start, not a task. */
export const ShardCarriedSchema = z
  .object({
    models: z.record(
      z
        .object({
          modelId: z.string(),
          settings: MonitorSettingsSchema,
          floors: MonitorFloorsSchema,
          checks: z.number().int().min(0),
          failures: z.number().int().min(0),
          lastCheckedAtMs: z.number().nullable(),
          recent: z.array(z.object({}).passthrough()),
          lastSignals: z.object({}).passthrough(),
          signalsSent: z.object({ driftAlert: z.number(), performanceReport: z.number() }),
        })
        .passthrough(),
    ),
    lastSweepAtMs: z.number(),
    sweeps: z.number().int().min(0),
    failedSweeps: z.number().int().min(0),
    lastSweep: z.object({}).passthrough().nullable(),
    rejectedInputs: z.number().int().min(0),
  })
  .passthrough();

type Register = z.output<typeof RegisterMonitoredModelSchema>;
type Update = z.output<typeof UpdateModelMonitorSchema>;

/**
 * The memory of one fleet monitor shard: its models' settings and what each last said.
 * The workflow decides with it when to sweep; the sweep activity reads it through the
 * `sweepPlan` query, so only news goes back into history.
 */
export class FleetShardState {
  private readonly data: ShardCarried;

  constructor(
    readonly shardKey: string,
    nowMs: number,
    carried?: ShardCarried,
  ) {
    this.data = carried ?? {
      models: {},
      lastSweepAtMs: nowMs,
      sweeps: 0,
      failedSweeps: 0,
      lastSweep: null,
      rejectedInputs: 0,
    };
  }

  get lastSweepAtMs(): number {
    return this.data.lastSweepAtMs;
  }

  get size(): number {
    return Object.keys(this.data.models).length;
  }

  rejected(): void {
    this.data.rejectedInputs++;
  }

  /** @returns false when the model was already here and `replace` was not asked (nothing changed). */
  register(r: Register, settings: MonitorSettings, nowMs: number): boolean {
    const existing = this.data.models[r.modelId];
    if (existing && !r.replace) return false;
    this.data.models[r.modelId] = {
      modelId: r.modelId,
      settings,
      floors: r.floors,
      ...(r.drift ? { drift: r.drift } : {}),
      // A new model is checked at once, not at its first boundary.
      requestedAtMs: nowMs,
      checks: existing?.checks ?? 0,
      failures: existing?.failures ?? 0,
      lastCheckedAtMs: existing?.lastCheckedAtMs ?? null,
      recent: existing?.recent ?? [],
      lastSignals: { ...r.lastSignals, ...existing?.lastSignals },
      signalsSent: existing?.signalsSent ?? r.signalsSent ?? { driftAlert: 0, performanceReport: 0 },
    };
    return true;
  }

  /** Current settings of a model merged with a partial update, for the caller to parse. */
  mergedSettings(modelId: string, update: Update): Record<string, unknown> | undefined {
    const model = this.data.models[modelId];
    return model ? { ...model.settings, ...update.settings } : undefined;
  }

  update(modelId: string, settings: MonitorSettings, floors: MonitorFloors | undefined): void {
    const model = this.data.models[modelId];
    if (!model) return;
    model.settings = settings;
    if (floors) model.floors = floors;
  }

  requestCheck(modelId: string, nowMs: number): boolean {
    const model = this.data.models[modelId];
    if (!model) return false;
    model.requestedAtMs ??= nowMs;
    return true;
  }

  unregister(modelId: string): void {
    delete this.data.models[modelId];
  }

  private due(model: ShardModel, fromMs: number, toMs: number): boolean {
    return isDue(model.settings.intervalMs, model.requestedAtMs, this.shardKey, fromMs, toMs);
  }

  anyDue(fromMs: number, toMs: number): boolean {
    return Object.values(this.data.models).some((m) => this.due(m, fromMs, toMs));
  }

  /** When the next model falls due after the last sweep; null with no models (wait for a signal). */
  nextSweepAt(): number | null {
    const from = this.data.lastSweepAtMs;
    let next: number | null = null;
    for (const m of Object.values(this.data.models)) {
      const at =
        m.requestedAtMs !== undefined
          ? from
          : nextCheckAfter(m.settings.intervalMs, checkOffsetMs(this.shardKey, m.settings.intervalMs), from);
      next = next === null ? at : Math.min(next, at);
    }
    return next;
  }

  plan(): SweepPlan {
    return {
      shardKey: this.shardKey,
      entries: Object.values(this.data.models).map((m) => ({
        modelId: m.modelId,
        settings: m.settings,
        floors: m.floors,
        ...(m.drift ? { drift: m.drift } : {}),
        ...(m.requestedAtMs !== undefined ? { requestedAtMs: m.requestedAtMs } : {}),
        ...(m.verdict !== undefined ? { verdict: m.verdict } : {}),
        lastSignals: m.lastSignals,
      })),
    };
  }

  /** Books a finished sweep over `(fromMs, toMs]`: checks of the due models, then the news it brought. */
  applySweep(result: SweepShardResult, fromMs: number, toMs: number): void {
    const failed = new Set(result.failures.map((f) => f.modelId));
    for (const m of Object.values(this.data.models)) {
      if (!this.due(m, fromMs, toMs)) continue;
      m.checks++;
      if (failed.has(m.modelId)) m.failures++;
      m.lastCheckedAtMs = toMs;
      if (m.requestedAtMs !== undefined && m.requestedAtMs <= toMs) delete m.requestedAtMs;
    }
    for (const finding of result.reports) {
      const m = this.data.models[finding.modelId];
      if (!m) continue;
      m.verdict = verdictKey(finding);
      m.recent.push(finding);
      if (m.recent.length > RECENT_PER_MODEL) m.recent.splice(0, m.recent.length - RECENT_PER_MODEL);
    }
    for (const d of result.deliveries) {
      const m = this.data.models[d.modelId];
      if (!m || d.error !== undefined) continue;
      m.lastSignals[d.signal] = d.atMs;
      m.signalsSent[d.signal]++;
    }
    this.finishSweep(toMs, {
      atMs: toMs,
      checked: result.checked,
      failed: result.failures.length,
      reported: result.reports.length,
      signalled: result.deliveries.filter((d) => d.error === undefined).length,
      durationMs: result.durationMs,
    });
  }

  /** A sweep whose activity gave up: its span is skipped (as a per-model monitor skipped a failed check). */
  sweepFailed(toMs: number): void {
    this.data.failedSweeps++;
    this.finishSweep(toMs, null);
  }

  private finishSweep(toMs: number, summary: SweepSummary | null): void {
    this.data.sweeps++;
    this.data.lastSweepAtMs = toMs;
    if (summary) this.data.lastSweep = summary;
  }

  modelStatus(modelId: string): ModelMonitorStatus | null {
    const m = this.data.models[modelId];
    if (!m) return null;
    return {
      modelId,
      shardWorkflowId: this.shardKey,
      settings: m.settings,
      floors: m.floors,
      checks: m.checks,
      failures: m.failures,
      lastFinding: m.recent[m.recent.length - 1] ?? null,
      recent: m.recent,
      lastSignals: m.lastSignals,
      signalsSent: m.signalsSent,
      rejectedInputs: this.data.rejectedInputs,
      lastSweepAtMs: this.data.sweeps > 0 ? this.data.lastSweepAtMs : null,
      lastCheckedAtMs: m.lastCheckedAtMs,
    };
  }

  status(): FleetShardStatus {
    return {
      shardWorkflowId: this.shardKey,
      models: this.size,
      sweeps: this.data.sweeps,
      failedSweeps: this.data.failedSweeps,
      lastSweep: this.data.lastSweep,
      rejectedInputs: this.data.rejectedInputs,
    };
  }

  carry(): ShardCarried {
    return JSON.parse(JSON.stringify(this.data)) as ShardCarried;
  }
}
