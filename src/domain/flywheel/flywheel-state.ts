import type { ModelSpec } from '../model-spec/model-spec.js';
import type { TriggerPolicy } from '../policies/trigger-policy.js';
import { decideTrigger } from '../trigger/decide-trigger.js';
import {
  initialTriggerState,
  type TriggerDecision,
  type TriggerEvent,
  type TriggerState,
} from '../trigger/trigger-state.js';
import type { ScreenContext } from '../trigger/screen-trigger.js';
import type { TriggerBatch } from '../trigger/trigger.js';
import type { CycleStep, CycleSummary } from './cycle-report.js';

const KEEP_DECISIONS = 30;
const KEEP_CYCLES = 10;
const KEEP_REJECTED = 10;

export interface InFlightCycle {
  cycle: number;
  workflowId: string;
  step: CycleStep | 'starting';
  startedAt: number;
  trigger: TriggerBatch;
  candidateVersion?: number;
  /**
   * First run id of the child, from `startChild`: a cycle report counts only when it names
   * this run. Absent for a cycle started by a version that did not record it.
   */
  runId?: string;
  /** Set between recording the start and `startChild` answering: a report arriving then waits for the run id. */
  runIdPending?: boolean;
}

/** The bookkeeping's verdict on a `cycleProgress` / `cycleFinished` signal. */
export type CycleReportCheck =
  | { verdict: 'accept' }
  /** The run id of the cycle is not known yet (its start is being answered): look again once it is. */
  | { verdict: 'wait' }
  /** The same run's report of a cycle already recorded (the awaited result came first): nothing to do. */
  | { verdict: 'duplicate' }
  | { verdict: 'reject'; reason: string };

/** Who a cycle report says it comes from. */
export interface CycleSender {
  cycle: number;
  workflowId: string;
  runId: string;
}

/** Why the flywheel cannot train (a start input it could not parse); cleared by a valid spec. */
export interface Misconfiguration {
  error: string;
  at: number;
}

export interface RejectedInput {
  input: string;
  error: string;
  at: number;
}

/** Everything the flywheel carries across continue-as-new. Plain JSON: no Map, no class. */
export interface FlywheelData {
  modelId: string;
  spec: ModelSpec | null;
  /** 1 for the spec it started with, +1 on every spec or policy update. */
  specRevision: number;
  trigger: TriggerState;
  /**
   * `since`: when this flywheel learned the version is the champion; `promotedAt`: when it
   * saw one of its own cycles promote it (absent otherwise, and in older state). Alerts
   * raised before `promotedAt` describe the version it replaced.
   */
  champion: { version: number; since: number; promotedAt?: number } | null;
  inFlight: InFlightCycle | null;
  decisions: TriggerDecision[];
  rejected: { count: number; recent: RejectedInput[] };
  recentCycles: CycleSummary[];
  totals: { cycles: number; promoted: number; notPromoted: number };
  /** Absent in state carried by older versions. */
  misconfigured?: Misconfiguration | null;
}

/** Default trigger policy when the flywheel has no spec yet (it only records then). */
const noSpecPolicy = (spec: ModelSpec | null, fallback: TriggerPolicy): TriggerPolicy => spec?.trigger ?? fallback;

const isAlertKind = (kind: string) => kind === 'drift' || kind === 'performance';

const keep = <T>(list: T[], item: T, n: number): T[] => [...list, item].slice(-n);

/**
 * The flywheel's state and bookkeeping, held by the `modelFlywheel` workflow and
 * testable without Temporal. Trigger decisions come from {@link decideTrigger}; this
 * class records them with their reasons and tracks the cycle in flight.
 */
export class Flywheel {
  /** Whether alerts are screened (stale versions, harm); the workflow answers with a patch check. */
  private screening: () => boolean = () => false;

  private constructor(private data: FlywheelData) {}

  /**
   * Turns on the alert screening rules ({@link screenTrigger}) whenever `enabled` answers true.
   * It is asked only when a rule could change a decision, so a workflow can answer with
   * `patched()` and keep histories recorded before the rules replaying as they ran.
   */
  screenAlertsWhen(enabled: () => boolean): void {
    this.screening = enabled;
  }

  /** What the screening rules compare an alert with: the champion and a candidate serving beside it. */
  private screenContext(): ScreenContext {
    const c = this.data.champion;
    const candidate = this.data.inFlight?.candidateVersion;
    return {
      champion: c ? { version: c.version, ...(c.promotedAt !== undefined ? { promotedAt: c.promotedAt } : {}) } : null,
      ...(candidate !== undefined ? { candidateVersion: candidate } : {}),
    };
  }

  private screened(event: TriggerEvent): TriggerEvent {
    if (event.type === 'trigger' && isAlertKind(event.trigger.kind) && this.screening())
      return { ...event, screen: this.screenContext() };
    if (event.type === 'cycleFinished' && this.data.trigger.pending && this.screening())
      return { ...event, screen: this.screenContext() };
    return event;
  }

  static create(
    modelId: string,
    spec: ModelSpec | null,
    fallbackPolicy: TriggerPolicy,
    misconfigured: Misconfiguration | null = null,
  ): Flywheel {
    return new Flywheel({
      modelId,
      spec,
      specRevision: spec ? 1 : 0,
      trigger: initialTriggerState(noSpecPolicy(spec, fallbackPolicy)),
      champion: null,
      inFlight: null,
      decisions: [],
      rejected: { count: 0, recent: [] },
      recentCycles: [],
      totals: { cycles: 0, promoted: 0, notPromoted: 0 },
      ...(misconfigured ? { misconfigured } : {}),
    });
  }

  /** Restores from JSON carried across continue-as-new. */
  static restore(data: FlywheelData): Flywheel {
    return new Flywheel(structuredCloneJson(data));
  }

  snapshot(): FlywheelData {
    return structuredCloneJson(this.data);
  }

  get modelId(): string {
    return this.data.modelId;
  }
  get spec(): ModelSpec | null {
    return this.data.spec;
  }
  get specRevision(): number {
    return this.data.specRevision;
  }
  get inFlight(): InFlightCycle | null {
    return this.data.inFlight;
  }
  get champion(): FlywheelData['champion'] {
    return this.data.champion;
  }
  get misconfigured(): Misconfiguration | null {
    return this.data.misconfigured ?? null;
  }
  /** Records why the flywheel cannot train until a valid spec arrives (kept across continue-as-new). */
  setMisconfigured(error: string, at: number): void {
    this.data.misconfigured = { error: error.slice(0, 2000), at };
  }
  get triggerState(): TriggerState {
    return this.data.trigger;
  }
  get lastDecision(): TriggerDecision | undefined {
    return this.data.decisions[this.data.decisions.length - 1];
  }

  /** Applies one event through the trigger policy and records the decision (repeated idle ticks are not). */
  apply(event: TriggerEvent, now: number): TriggerDecision {
    const { state, decision } = this.decide(this.screened(event), now);
    this.data.trigger = state;
    const prev = this.lastDecision;
    const repeat = event.type === 'tick' && prev?.action === decision.action && prev.reason === decision.reason;
    if (!repeat && !(event.type === 'tick' && decision.action === 'idle')) {
      this.data.decisions = keep(this.data.decisions, stripBatch(decision), KEEP_DECISIONS);
    }
    return decision;
  }

  /** Without a spec nothing can train: triggers are held as if paused, with a reason that says so. */
  private decide(event: TriggerEvent, now: number): { state: TriggerState; decision: TriggerDecision } {
    if (this.data.spec) return decideTrigger(this.data.trigger, event, now);
    const paused = event.type === 'pause' ? true : event.type === 'resume' ? false : this.data.trigger.paused;
    const out = decideTrigger({ ...this.data.trigger, paused: true }, event, now);
    const decision =
      out.decision.action === 'hold'
        ? {
            ...out.decision,
            reason: out.decision.reason.replace(
              /^.*flywheel paused: (.*) recorded, acted on at resume$/,
              'no model spec yet: $1 recorded, acted on when a spec arrives (updatePolicy with spec)',
            ),
          }
        : out.decision;
    return { state: { ...out.state, paused }, decision };
  }

  /** The time to look again when nothing else happens (end of debounce or deferral), or null. */
  wakeAt(now: number): number | null {
    const t = this.data.trigger;
    if (!t.pending || t.paused || t.running || !this.data.spec) return null;
    return decideTrigger(t, { type: 'tick' }, now).decision.until ?? null;
  }

  /** A signal whose payload failed its schema: counted and kept for `status`, never thrown. */
  rejectInput(input: string, error: string, at: number): void {
    this.data.rejected = {
      count: this.data.rejected.count + 1,
      recent: keep(this.data.rejected.recent, { input, error: error.slice(0, 500), at }, KEEP_REJECTED),
    };
  }

  cycleStarted(cycle: number, workflowId: string, trigger: TriggerBatch, now: number, awaitRunId = false): void {
    this.data.inFlight = {
      cycle,
      workflowId,
      step: 'starting',
      startedAt: now,
      trigger,
      ...(awaitRunId ? { runIdPending: true } : {}),
    };
  }

  /** The child is running: from now on only reports naming its run count. */
  childStarted(cycle: number, runId: string): void {
    const f = this.data.inFlight;
    if (!f || f.cycle !== cycle) return;
    f.runId = runId;
    delete f.runIdPending;
  }

  /**
   * Decides whether a cycle report comes from the child this flywheel started: the cycle in
   * flight, its workflow id and the run id recorded from `startChild`. Anything else is
   * rejected with the reason, so a hand-typed signal never ends a cycle or moves the champion.
   */
  checkCycleReport(from: CycleSender): CycleReportCheck {
    const f = this.data.inFlight;
    if (f && f.cycle === from.cycle && f.workflowId === from.workflowId) {
      if (f.runId === from.runId) return { verdict: 'accept' };
      if (f.runIdPending) return { verdict: 'wait' };
      // A cycle started by a version that did not record run ids: its workflow id is all there is to check.
      if (f.runId === undefined) return { verdict: 'accept' };
      return {
        verdict: 'reject',
        reason: `run ${from.runId} is not the run of cycle ${f.cycle} this flywheel started (${f.runId})`,
      };
    }
    const last = this.data.recentCycles[this.data.recentCycles.length - 1];
    if (last && last.cycle === from.cycle && last.workflowId === from.workflowId && last.runId === from.runId)
      return { verdict: 'duplicate' };
    const named = `${from.workflowId} (cycle ${from.cycle}, run ${from.runId})`;
    return {
      verdict: 'reject',
      reason: f
        ? `not from the cycle in flight (${f.workflowId}): it names ${named}`
        : `no cycle is in flight: it names ${named}`,
    };
  }

  cycleProgress(cycle: number, step: CycleStep, candidateVersion?: number): void {
    const f = this.data.inFlight;
    if (!f || f.cycle !== cycle) return;
    f.step = step;
    if (candidateVersion !== undefined) f.candidateVersion = candidateVersion;
  }

  /**
   * Records the cycle's outcome, moves the champion on promotion (else to `championBefore`,
   * the champion the cycle read from the registry, when it says), then lets the trigger
   * policy look at pending triggers.
   */
  cycleFinished(summary: CycleSummary, now: number, championBefore?: number | null): TriggerDecision {
    if (summary.outcome !== 'promoted' && championBefore !== undefined) this.setChampion(championBefore, now);
    this.data.inFlight = null;
    this.data.recentCycles = keep(this.data.recentCycles, summary, KEEP_CYCLES);
    const promoted = summary.outcome === 'promoted';
    this.data.totals = {
      cycles: this.data.totals.cycles + 1,
      promoted: this.data.totals.promoted + (promoted ? 1 : 0),
      notPromoted: this.data.totals.notPromoted + (promoted ? 0 : 1),
    };
    if (promoted && summary.candidateVersion !== undefined)
      this.data.champion = { version: summary.candidateVersion, since: now, promotedAt: now };
    return this.apply({ type: 'cycleFinished', cycle: summary.cycle }, now);
  }

  setChampion(version: number | null, now: number): void {
    if (version === null) this.data.champion = null;
    else if (this.data.champion?.version !== version) this.data.champion = { version, since: now };
  }

  /** Installs a new spec (its trigger policy applies at once). */
  setSpec(spec: ModelSpec, now: number): TriggerDecision {
    this.data.spec = spec;
    if (this.data.misconfigured) this.data.misconfigured = null;
    this.data.specRevision += 1;
    return this.apply({ type: 'policyUpdated', policy: spec.trigger }, now);
  }

  status(): FlywheelStatus {
    const d = this.data;
    return {
      modelId: d.modelId,
      specRevision: d.specRevision,
      hasSpec: d.spec !== null,
      spec: d.spec,
      misconfigured: d.misconfigured ?? null,
      paused: d.trigger.paused,
      champion: d.champion,
      inFlight: d.inFlight ? { ...d.inFlight, trigger: stripSamples(d.inFlight.trigger) } : null,
      cycleDue: d.trigger.running && !d.inFlight ? d.trigger.running.cycle : null,
      pending: d.trigger.pending ? stripSamples(d.trigger.pending) : null,
      cyclesStarted: d.trigger.cyclesStarted,
      triggerCounts: d.trigger.counts,
      lastCycleEndedAt: d.trigger.lastCycleEndedAt,
      decisions: d.decisions,
      rejectedInputs: d.rejected,
      recentCycles: d.recentCycles,
      totals: d.totals,
    };
  }
}

/** Answer of the `status` query. */
export interface FlywheelStatus {
  modelId: string;
  specRevision: number;
  hasSpec: boolean;
  /** The spec it runs, which the serving gateway checks requests against; absent from older versions. */
  spec?: ModelSpec | null;
  /** Why the flywheel cannot train, naming the field (a start input it could not parse); null when it can. Absent from older versions. */
  misconfigured?: Misconfiguration | null;
  paused: boolean;
  champion: FlywheelData['champion'];
  inFlight: InFlightCycle | null;
  /**
   * A cycle the trigger policy has started whose child workflow is not running yet: it
   * starts on the flywheel's next workflow task, which after a continue-as-new is the first
   * task of the next run. Idle means `inFlight` and `cycleDue` are both null.
   */
  cycleDue: number | null;
  pending: TriggerBatch | null;
  cyclesStarted: number;
  triggerCounts: TriggerState['counts'];
  lastCycleEndedAt: number | null;
  decisions: TriggerDecision[];
  rejectedInputs: FlywheelData['rejected'];
  recentCycles: CycleSummary[];
  totals: FlywheelData['totals'];
}

function stripBatch(d: TriggerDecision): TriggerDecision {
  if (!d.batch) return d;
  return { ...d, batch: stripSamples(d.batch) };
}

function stripSamples(b: TriggerBatch): TriggerBatch {
  return { ...b, samples: b.samples.slice(0, 3) };
}

function structuredCloneJson<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}
