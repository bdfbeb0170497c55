import { formatDuration } from '../duration.js';
import { DEFAULT_HARM_POLICY } from '../policies/harm-policy.js';
import { removeFromBatch } from './batch-removal.js';
import type { DriftHarmAssessment } from './harm-policy.js';
import { screenTrigger, staleReason, type ScreenContext } from './screen-trigger.js';
import { addToBatch, describeBatch, isScoredKind, type Trigger } from './trigger.js';
import type { TriggerDecision, TriggerEvent, TriggerOutcome, TriggerState } from './trigger-state.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Drops budget entries that have left the rolling window. */
function prune(state: TriggerState, now: number): TriggerState {
  const from = now - state.policy.budget.windowMs;
  const recentStarts = state.recentStarts.filter((t) => t > from);
  return recentStarts.length === state.recentStarts.length ? state : { ...state, recentStarts };
}

function belowFloor(state: TriggerState, t: Trigger): string | null {
  if (!isScoredKind(t.kind) || t.score === undefined) return null;
  const floor = state.policy.floors[t.kind];
  if (t.score >= floor) return null;
  const what =
    t.kind === 'drift' ? 'drift severity' : t.kind === 'performance' ? 'performance degradation' : 'new rows';
  return `${what} ${t.score} is below the floor ${floor}: ignored`;
}

/** Looks at the pending batch and says whether it starts a cycle now, and if not why and until when. */
function evaluate(state: TriggerState, now: number): TriggerOutcome {
  const batch = state.pending;
  const decide = (d: Omit<TriggerDecision, 'at'>, next: TriggerState = state): TriggerOutcome => ({
    state: next,
    decision: { ...d, at: now },
  });
  if (!batch) {
    return decide({
      action: 'idle',
      reason: state.running ? `cycle ${state.running.cycle} running; nothing pending` : 'nothing pending',
    });
  }
  const what = describeBatch(batch);
  if (state.paused) return decide({ action: 'hold', reason: `flywheel paused: ${what} recorded, acted on at resume` });
  if (state.running) {
    return decide({
      action: 'coalesce',
      reason: `cycle ${state.running.cycle} running: ${what} will start one follow-up cycle when it ends`,
    });
  }
  const { policy } = state;
  if (!batch.force && batch.gatherUntil !== undefined && now < batch.gatherUntil) {
    return decide({
      action: 'gather',
      cause: 'debounce',
      until: batch.gatherUntil,
      reason: `gathering alerts until ${iso(batch.gatherUntil)} (debounce ${formatDuration(policy.debounceMs)}): ${what} so far`,
    });
  }
  const manual = batch.kinds.includes('manual');
  if (!batch.force && !manual && state.lastCycleEndedAt !== null) {
    const cooldownEnds = state.lastCycleEndedAt + policy.cooldownMs;
    if (now < cooldownEnds) {
      return decide({
        action: 'defer',
        cause: 'cooldown',
        until: cooldownEnds,
        reason: `cooldown of ${formatDuration(policy.cooldownMs)} after the last cycle: ${what} deferred until ${iso(cooldownEnds)}`,
      });
    }
  }
  const pruned = prune(state, now);
  const { maxCycles, windowMs } = policy.budget;
  if (!batch.force && pruned.recentStarts.length >= maxCycles) {
    const frees = (pruned.recentStarts[pruned.recentStarts.length - maxCycles] ?? now) + windowMs;
    return decide(
      {
        action: 'defer',
        cause: 'budget',
        until: frees,
        reason: `retrain budget of ${maxCycles} cycle${maxCycles === 1 ? '' : 's'} per ${formatDuration(windowMs)} used up: ${what} deferred until ${iso(frees)} when a slot frees`,
      },
      pruned,
    );
  }
  const cycle = state.cyclesStarted + 1;
  const overrides = batch.force ? ' (forced: cooldown and budget skipped)' : '';
  return decide(
    { action: 'start', cycle, batch, reason: `starting cycle ${cycle} for ${what}${overrides}` },
    {
      ...pruned,
      pending: null,
      running: { cycle, startedAt: now, batch },
      cyclesStarted: cycle,
      recentStarts: [...pruned.recentStarts, now],
    },
  );
}

/**
 * The trigger policy: given the state, one event and the current time, returns the next
 * state and a decision with its reason. Pure and deterministic, so the workflow can call
 * it on replay and the unit tests can cover every rule without Temporal.
 *
 * Rules: scored triggers below their floor are ignored; accepted triggers merge into one
 * pending batch (so any number of them while a cycle runs gives exactly one follow-up);
 * drift/performance/newData alerts are gathered for the debounce window; after a cycle
 * ends, non-manual batches wait out the cooldown; at most `budget.maxCycles` cycles start
 * per rolling `budget.windowMs`; a forced manual trigger skips cooldown and budget; while
 * paused, triggers are recorded and acted on at resume.
 */
export function decideTrigger(state: TriggerState, event: TriggerEvent, now: number): TriggerOutcome {
  switch (event.type) {
    case 'trigger': {
      const t = event.trigger;
      const received = { ...state.counts, received: state.counts.received + 1 };
      const floor = belowFloor(state, t);
      if (floor) {
        return {
          state: { ...state, counts: { ...received, ignored: received.ignored + 1 } },
          decision: { action: 'ignore', reason: `${t.kind} trigger: ${floor}`, at: now },
        };
      }
      const screening = event.screen
        ? screenTrigger(t, event.screen, state.policy.harm ?? DEFAULT_HARM_POLICY)
        : { verdict: 'accept' as const };
      if (screening.verdict === 'stale') {
        const counts = { ...received, ignored: received.ignored + 1, stale: (received.stale ?? 0) + 1 };
        return {
          state: { ...state, counts },
          decision: { action: 'ignore', cause: 'stale', reason: `${screening.reason}: ignored`, at: now },
        };
      }
      if (screening.verdict === 'benign') {
        return {
          state: { ...state, counts: { ...received, benign: (received.benign ?? 0) + 1 } },
          decision: {
            action: 'benign',
            reason: `drift trigger${t.observedVersion ? ` about v${t.observedVersion}` : ''}: ${screening.reason}; no cycle`,
            harm: harmNumbers(screening.harm),
            at: now,
          },
        };
      }
      const pending = addToBatch(state.pending, t, state.policy.debounceMs);
      const out = evaluate({ ...state, pending, counts: { ...received, accepted: received.accepted + 1 } }, now);
      return screening.harm ? { ...out, decision: { ...out.decision, harm: harmNumbers(screening.harm) } } : out;
    }
    case 'cycleFinished': {
      if (!state.running || state.running.cycle !== event.cycle) return evaluate(state, now);
      const ended = { ...state, running: null, lastCycleEndedAt: now };
      return event.screen ? dropStale(ended, event.screen, now) : evaluate(ended, now);
    }
    case 'retract':
      return retract(state, event.fingerprint, now);
    case 'pause': {
      const out = evaluate({ ...state, paused: true }, now);
      const who = `paused${event.by ? ` by ${event.by}` : ''}${event.reason ? ` (${event.reason})` : ''}`;
      return withPrefix(out, who);
    }
    case 'resume':
      return withPrefix(evaluate({ ...state, paused: false }, now), `resumed${event.by ? ` by ${event.by}` : ''}`);
    case 'policyUpdated':
      return evaluate({ ...state, policy: event.policy }, now);
    case 'tick':
      return evaluate(state, now);
  }
}

function harmNumbers(a: DriftHarmAssessment): NonNullable<TriggerDecision['harm']> {
  const { harmful, basis, importantShare, measuredDrop, estimatedDrop } = a;
  return { harmful, basis, importantShare, measuredDrop, estimatedDrop };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** After a cycle: pending alerts about a version that no longer serves (or raised before the promotion) are dropped. */
function dropStale(state: TriggerState, screen: ScreenContext, now: number): TriggerOutcome {
  if (!state.pending) return evaluate(state, now);
  const { batch, removed } = removeFromBatch(
    state.pending,
    (s) => staleReason(s, screen) !== null,
    state.policy.debounceMs,
  );
  if (removed.length === 0) return evaluate(state, now);
  const counts = { ...state.counts, stale: (state.counts.stale ?? 0) + removed.length };
  const first = staleReason(removed[0]!, screen)!;
  return withPrefix(
    evaluate({ ...state, pending: batch, counts }, now),
    `dropped ${plural(removed.length, 'pending alert')} gone stale (${first}${removed.length > 1 ? ', …' : ''})`,
  );
}

/**
 * A resolved alert takes back the triggers it added to the pending batch. A cycle already
 * started for it runs on: it may have found more than the alert did, and cancelling a
 * training cycle half way wastes what it spent.
 */
function retract(state: TriggerState, fingerprint: string, now: number): TriggerOutcome {
  const from = (s: { fingerprint?: string }) => s.fingerprint === fingerprint;
  const started = state.running?.batch.samples.some(from) ? state.running.cycle : null;
  const runsOn = started !== null ? `; cycle ${started} already started for it and runs on` : '';
  const removal = state.pending ? removeFromBatch(state.pending, from, state.policy.debounceMs) : null;
  if (!removal || removal.removed.length === 0) {
    return {
      state,
      decision: {
        action: 'ignore',
        reason: `alert ${fingerprint} resolved: no pending trigger came from it${runsOn}`,
        at: now,
      },
    };
  }
  const counts = { ...state.counts, retracted: (state.counts.retracted ?? 0) + removal.removed.length };
  const left = removal.batch ? `; ${describeBatch(removal.batch)} still pending` : '; nothing pending';
  return {
    state: { ...state, pending: removal.batch, counts },
    decision: {
      action: 'retract',
      reason: `alert ${fingerprint} resolved: ${plural(removal.removed.length, 'pending trigger')} retracted${left}${runsOn}`,
      at: now,
    },
  };
}

function withPrefix(out: TriggerOutcome, prefix: string): TriggerOutcome {
  return { ...out, decision: { ...out.decision, reason: `${prefix}; ${out.decision.reason}` } };
}

/** When the workflow should look again without a new event (end of debounce or deferral). */
export function nextWakeAt(state: TriggerState, decision: TriggerDecision): number | null {
  if (!state.pending || state.paused || state.running) return null;
  return decision.until ?? null;
}
