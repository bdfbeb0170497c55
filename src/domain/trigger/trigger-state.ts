import type { TriggerPolicy } from '../policies/trigger-policy.js';
import type { DriftHarmAssessment } from './harm-policy.js';
import type { ScreenContext } from './screen-trigger.js';
import type { Trigger, TriggerBatch } from './trigger.js';

/** Everything the trigger policy needs to remember. Plain JSON: it crosses continue-as-new. */
export interface TriggerState {
  policy: TriggerPolicy;
  paused: boolean;
  /** Triggers not yet turned into a cycle (at most one batch: at most one next cycle). */
  pending: TriggerBatch | null;
  /** The cycle in flight and the batch it consumed (kept here so starting it never depends on the last decision). */
  running: { cycle: number; startedAt: number; batch: TriggerBatch } | null;
  /** Cycle numbers are 1, 2, 3 … for the life of the flywheel. */
  cyclesStarted: number;
  lastCycleEndedAt: number | null;
  /** Start times inside the budget window (pruned as the window slides). */
  recentStarts: number[];
  /**
   * `stale`, `benign` and `retracted` are absent in state carried by older versions. Stale
   * alerts count as ignored too; benign ones as neither ignored nor accepted.
   */
  counts: { received: number; ignored: number; accepted: number; stale?: number; benign?: number; retracted?: number };
}

/** Inputs of {@link decideTrigger}. */
export type TriggerEvent =
  /** `screen`: apply the alert screening rules (stale version, harm) with what is known of the versions in service. */
  | { type: 'trigger'; trigger: Trigger; screen?: ScreenContext }
  | { type: 'tick' }
  /** `screen`: the versions in service after the cycle; pending alerts it made stale are dropped. */
  | { type: 'cycleFinished'; cycle: number; screen?: ScreenContext }
  /** A resolved alert: its pending triggers (by fingerprint) are taken back. */
  | { type: 'retract'; fingerprint: string; source?: string }
  | { type: 'pause'; by?: string; reason?: string }
  | { type: 'resume'; by?: string }
  | { type: 'policyUpdated'; policy: TriggerPolicy };

export const TriggerAction = {
  start: 'start',
  gather: 'gather',
  coalesce: 'coalesce',
  defer: 'defer',
  hold: 'hold',
  ignore: 'ignore',
  /** An input-drift alert with no evidence of harm (`trigger.harm`): recorded with its numbers, starts nothing. */
  benign: 'benign',
  /** A resolved alert took its pending triggers back. */
  retract: 'retract',
  idle: 'idle',
} as const;
export type TriggerAction = (typeof TriggerAction)[keyof typeof TriggerAction];

/** What happened and why; `until` says when a waiting batch is looked at again. */
export interface TriggerDecision {
  action: TriggerAction;
  reason: string;
  at: number;
  until?: number;
  cause?: 'debounce' | 'cooldown' | 'budget' | 'stale';
  /** For a drift trigger judged by the harm rule: the verdict and its numbers. */
  harm?: Pick<DriftHarmAssessment, 'harmful' | 'basis' | 'importantShare' | 'measuredDrop' | 'estimatedDrop'>;
  /** For `start`: the cycle number to run and the batch it consumes. */
  cycle?: number;
  batch?: TriggerBatch;
}

export interface TriggerOutcome {
  state: TriggerState;
  decision: TriggerDecision;
}

export function initialTriggerState(policy: TriggerPolicy, cyclesStarted = 0): TriggerState {
  return {
    policy,
    paused: false,
    pending: null,
    running: null,
    cyclesStarted,
    lastCycleEndedAt: null,
    recentStarts: [],
    counts: { received: 0, ignored: 0, accepted: 0 },
  };
}
