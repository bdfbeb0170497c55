import { z } from 'zod';
import type { Alias, Stage } from './stages.js';

/**
 * What happens to a registered model version, as events. Each names a fact the training
 * cycle or its rollout established; the table below says which stage the version moves to
 * and which aliases it takes or gives up. The registry applies nothing else, so a record
 * can only move along these edges.
 */
export const VersionEvent = {
  /** A cycle registered the candidate (the registry's registerVersion). */
  registered: 'registered',
  gateRejected: 'gateRejected',
  /** A human (or the auto-approval policy) approved it. */
  approved: 'approved',
  approvalRejected: 'approvalRejected',
  approvalTimedOut: 'approvalTimedOut',
  /** Its rollout began: it is the challenger until the rollout ends. */
  rolloutStarted: 'rolloutStarted',
  /** Its rollout routed all traffic to it: it is the champion, in production. */
  promoted: 'promoted',
  /** The rollout's guards (or a serviceability check) sent traffic back to the champion. */
  rolledBack: 'rolledBack',
  /** A human aborted its rollout. */
  aborted: 'aborted',
  /** Another version was promoted over it. */
  replaced: 'replaced',
  /** Its cycle was cancelled before it took all traffic. */
  cancelled: 'cancelled',
} as const;
export type VersionEvent = (typeof VersionEvent)[keyof typeof VersionEvent];

export const versionEventSchema = z.enum(Object.values(VersionEvent) as [VersionEvent, ...VersionEvent[]], {
  errorMap: () => ({ message: `event must be one of ${Object.values(VersionEvent).join(', ')}` }),
});

/** `take`: the alias points at this version; `release`: it points at none, if it pointed at this one. */
export type AliasEffect = 'take' | 'release';
export interface Transition {
  readonly stage: Stage;
  readonly aliases: Readonly<Partial<Record<Alias, AliasEffect>>>;
}

/** Before registration a version has no stage; `registered` is its only event. */
export const UNREGISTERED = 'unregistered';
export type LifecycleState = Stage | typeof UNREGISTERED;

const leaveRollout = { challenger: 'release' } as const;

/**
 * The lifecycle: (stage, event) → { stage, aliases }. An event missing from a stage's row is
 * illegal there. `rejected`, `rolled_back` and `archived` are final.
 */
export const VERSION_LIFECYCLE: {
  readonly [S in LifecycleState]: Readonly<Partial<Record<VersionEvent, Transition>>>;
} = {
  unregistered: {
    registered: { stage: 'candidate', aliases: {} },
  },
  candidate: {
    gateRejected: { stage: 'rejected', aliases: {} },
    approved: { stage: 'approved', aliases: {} },
    approvalRejected: { stage: 'rejected', aliases: {} },
    approvalTimedOut: { stage: 'rejected', aliases: {} },
    // Same transition as from approved (one per event); a candidate holds no challenger alias.
    cancelled: { stage: 'rolled_back', aliases: leaveRollout },
  },
  approved: {
    rolloutStarted: { stage: 'approved', aliases: { challenger: 'take' } },
    promoted: { stage: 'production', aliases: { champion: 'take', ...leaveRollout } },
    rolledBack: { stage: 'rolled_back', aliases: leaveRollout },
    aborted: { stage: 'rolled_back', aliases: leaveRollout },
    cancelled: { stage: 'rolled_back', aliases: leaveRollout },
  },
  production: {
    replaced: { stage: 'archived', aliases: { champion: 'release' } },
  },
  rejected: {},
  rolled_back: {},
  archived: {},
};

/** An event the lifecycle does not allow from the version's stage; retrying cannot help. */
export class IllegalVersionTransitionError extends Error {
  override name = 'IllegalVersionTransitionError';
  constructor(
    readonly modelId: string,
    readonly version: number,
    readonly stage: LifecycleState,
    readonly event: string,
  ) {
    const allowed = Object.keys(VERSION_LIFECYCLE[stage] ?? {});
    super(
      `model ${modelId} v${version} is ${stage}: event "${event}" is not allowed there (allowed: ${allowed.length > 0 ? allowed.join(', ') : `none, ${stage} is final`})`,
    );
  }
}

/** The outcome of applying an event: `changed` is false when the version was already there (a retry). */
export interface AppliedTransition extends Transition {
  readonly changed: boolean;
}

/**
 * Where `event` takes version `version` of `modelId`, now in `stage`. An event whose target
 * stage the version already has is a retry of one already applied: the stage stays and the
 * aliases are applied again (they may not have been written before a crash). Anything else
 * outside the table throws IllegalVersionTransitionError.
 */
export function applyVersionEvent(
  ref: { modelId: string; version: number; stage: LifecycleState },
  event: VersionEvent,
): AppliedTransition {
  const row = VERSION_LIFECYCLE[ref.stage];
  const next = row[event];
  if (next) return { ...next, changed: next.stage !== ref.stage };
  const already = eventTargets(event).find((t) => t.stage === ref.stage);
  if (already) return { ...already, changed: false };
  throw new IllegalVersionTransitionError(ref.modelId, ref.version, ref.stage, event);
}

/**
 * Where `event` leads, whatever stage it is applied in (each event has one target), and
 * whether it changes the stage at all (`rolloutStarted` only moves an alias).
 */
export function transitionOf(event: VersionEvent): Transition & { readonly movesStage: boolean } {
  const sources = (Object.keys(VERSION_LIFECYCLE) as LifecycleState[]).filter((s) => VERSION_LIFECYCLE[s][event]);
  const t = eventTargets(event)[0]!;
  return { ...t, movesStage: sources.some((s) => s !== t.stage) };
}

/** Every transition `event` makes, from any stage. */
function eventTargets(event: VersionEvent): Transition[] {
  return Object.values(VERSION_LIFECYCLE).flatMap((row) => (row[event] ? [row[event]] : []));
}

/**
 * The event behind a bare stage write (the `setStage` activity that histories recorded before
 * lifecycle events still call): the first event of the table moving `from` to `to`. Undefined
 * when no event does; the caller refuses the write.
 */
export function eventForStageChange(from: LifecycleState, to: Stage): VersionEvent | undefined {
  const row = VERSION_LIFECYCLE[from];
  return (Object.keys(row) as VersionEvent[]).find((e) => row[e]?.stage === to && to !== from);
}

/** The event behind a bare alias write (`setAlias` of older histories): taking the alias. */
export function eventForAlias(alias: Alias): VersionEvent {
  return alias === 'champion' ? VersionEvent.promoted : VersionEvent.rolloutStarted;
}
