import {
  CancellationScope,
  condition,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  isCancellation,
} from '@temporalio/workflow';
import { planRollout, type RolloutPhase } from '../../domain/rollout/rollout-plan.js';
import { judgeStep } from '../../domain/rollout/judge-step.js';
import { candidateCannotBeServed } from '../../domain/rollout/serviceability.js';
import type { RolloutCommand } from '../../domain/signals.js';
import type { RoutingSpec } from '../../domain/records/routing.js';
import type { RolloutActivities } from '../activity-types.js';
import { lightActivity, quickActivity } from '../shared/activity-options.js';
import { rolloutActivitySummaries } from '../shared/activity-summaries.js';
import { describedActivities, describedLocalActivities } from '../shared/described-activities.js';
import { failureMessage } from '../shared/failure-message.js';
import { parseSignal } from '../shared/parse-payload.js';
import { parseStartInput } from '../shared/parse-input.js';
import { bakeTimerSummary, rolloutDetails } from '../shared/ui-details.js';
import { servableCheckOf, switchedReason, unservableAt } from './switch-at-once.js';
import { RolloutInputSchema } from '../../domain/flywheel/workflow-inputs.js';
import {
  abortRolloutSignal,
  promoteNowSignal,
  ROLLOUT_WORKFLOW,
  rolloutStatusQuery,
  type RolloutBake,
  type RolloutInput,
  type RolloutResult,
  type RolloutStepRecord,
} from '../../contracts/rollout.js';

/**
 * Marks the histories whose rollout checks that the candidate can be served (before any
 * traffic and every weight step) and reads the gateway's refusals at each bake's end.
 */
export const SERVICEABILITY_PATCH = 'rollout-serviceability-gate';
/** Marks histories whose routing writes run in a non-cancellable scope (a cancel waits for the write, then compensates). */
export const ROUTE_NON_CANCELLABLE_PATCH = 'rollout-route-non-cancellable';

/**
 * Marks histories whose routing writes are local activities (shared/activity-options.ts,
 * `lightActivity`): a write to the serving state the orchestration worker holds, idempotent
 * (it sets a table), worth no round trip through the server.
 */
export const LOCAL_ROUTING_PATCH = 'rollout-local-routing';

const act = describedActivities<RolloutActivities>(quickActivity, rolloutActivitySummaries);
const local = describedLocalActivities<RolloutActivities>(lightActivity, rolloutActivitySummaries);

/** How a phase, or a serviceability check, ends the rollout early. */
type Stop = { outcome: 'rolledBack' | 'aborted'; reason: string; unservable?: RolloutResult['unservable'] };

/**
 * Progressive delivery of one candidate: for each phase of the plan it sets the routing
 * table, bakes on a durable timer, reads the candidate's (and champion's) live metrics
 * and advances, extends, pauses for a human, promotes or rolls back. Any failure, abort
 * or cancellation restores the champion's routing in a non-cancellable scope.
 *
 * Before any traffic and before every weight step the candidate must load from verified
 * bytes and answer held-out rows in the serving runtime (TFX InfraValidator's question);
 * at each bake's end the gateway's refusals of it are a breach, never thin traffic.
 */
export async function rollout(rawInput: RolloutInput): Promise<RolloutResult> {
  const input = parseStartInput(RolloutInputSchema, rawInput, ROLLOUT_WORKFLOW) as RolloutInput;
  const { modelId, candidateVersion: candidate, championVersion: champion, policy } = input;
  const steps: RolloutStepRecord[] = [];
  let phaseLabel = 'starting';
  let paused = false;
  let rejected = 0;
  let abort: RolloutCommand | undefined;
  let promoteNow: RolloutCommand | undefined;
  let bake: RolloutBake | undefined;
  const reject = () => void rejected++;
  setHandler(abortRolloutSignal.definition, (p) => void (abort ??= parseSignal(abortRolloutSignal, p, reject)));
  setHandler(promoteNowSignal.definition, (p) => void (promoteNow ??= parseSignal(promoteNowSignal, p, reject)));
  setHandler(rolloutStatusQuery.definition, () => ({
    phase: phaseLabel,
    paused,
    steps,
    rejectedInputs: rejected,
    ...(bake ? { bake } : {}),
  }));
  const record = (s: Omit<RolloutStepRecord, 'at'>) => {
    steps.push({ ...s, at: Date.now() });
    log.info('rollout step', { modelId, candidate, phase: s.phase, action: s.action, reason: s.reason });
  };
  // Histories recorded before the gate existed replay without its activities.
  const gated = patched(SERVICEABILITY_PATCH);
  // A routing write, once sent, runs to its end: a cancel that abandoned it in flight let it
  // land after the compensation had run (or had been skipped), leaving a canary serving a
  // rolled-back candidate. Histories recorded before the patch replay the cancellable write.
  const shieldedRoutes = patched(ROUTE_NON_CANCELLABLE_PATCH);
  const localRoutes = patched(LOCAL_ROUTING_PATCH);
  const route = (routing: RoutingSpec, summary: string) => {
    const write = () =>
      localRoutes
        ? local.setRouting.executeWithOptions({ ...lightActivity, summary }, [{ modelId, routing }])
        : act.setRouting.executeWithOptions({ ...quickActivity, summary }, [{ modelId, routing }]);
    return shieldedRoutes ? CancellationScope.nonCancellable(write) : write();
  };
  const stopped = (stop: Stop): RolloutResult => ({
    outcome: stop.outcome,
    reason: stop.reason,
    steps,
    ...(stop.unservable ? { unservable: stop.unservable } : {}),
  });

  /** Null when the candidate may take the next share of traffic; else why the rollout stops. */
  const unservable = async (where: string): Promise<Stop | null> => {
    if (!gated) return null;
    const check = await act.checkServable(servableCheckOf(input));
    if (check.servable) {
      log.info('candidate can be served', { modelId, candidate, where, detail: check.detail });
      return null;
    }
    const { reason, stepReason, unservable } = unservableAt(where, check);
    record({ phase: where, action: 'rollback', reason: stepReason });
    log.error('candidate cannot be served; rolling back', {
      modelId,
      candidate,
      where,
      kind: check.kind,
      detail: check.detail,
    });
    return { outcome: 'rolledBack', reason, unservable };
  };

  if (champion === null) {
    const refused = await unservable('before serving the first model');
    if (refused) return stopped(refused);
    await route({ championVersion: candidate }, `serve v${candidate}: first model`);
    const reason = switchedReason(input);
    record({ phase: 'direct', action: 'promote', reason });
    return { outcome: 'promoted', reason, steps };
  }

  // Compensation: whatever happened, the champion gets all traffic back. A restore that
  // fails is logged here (the candidate keeps its share: someone must act on it).
  let routed = false;
  const restoreChampion = async (why: string) => {
    if (!routed) return;
    await CancellationScope.nonCancellable(async () => {
      try {
        await route({ championVersion: champion }, `restore champion v${champion}: ${why}`);
        routed = false;
      } catch (err) {
        log.error('could not restore the champion routing', {
          modelId,
          champion,
          candidate,
          why,
          error: failureMessage(err),
        });
        throw err;
      }
    });
  };

  const plan = planRollout(policy);
  try {
    record({
      phase: policy.strategy,
      action: 'start',
      reason: `${policy.strategy} rollout of v${candidate} against champion v${champion}: ${plan.map((p) => p.label).join(' → ') || 'switch at once'}`,
    });
    for (const [i, phase] of plan.entries()) {
      phaseLabel = phase.label;
      const refused = await unservable(`before ${phase.label}`);
      if (refused) {
        await restoreChampion(refused.reason);
        return stopped(refused);
      }
      await route(phaseRouting(phase, champion, candidate), phase.label);
      routed = true;
      const verdict = await runPhase(phase, i === plan.length - 1);
      if (verdict === 'advance') continue;
      if (verdict === 'promote') break;
      await restoreChampion(verdict.reason);
      return stopped(verdict);
    }
    const refused = await unservable('before promotion');
    if (refused) {
      await restoreChampion(refused.reason);
      return stopped(refused);
    }
    phaseLabel = 'promoted';
    bake = undefined;
    await route({ championVersion: candidate }, `promote v${candidate}`);
    routed = false;
    const last = steps[steps.length - 1];
    const reason =
      plan.length === 0 ? switchedReason(input) : `v${candidate} promoted: ${last?.reason ?? 'all phases passed'}`;
    return { outcome: 'promoted', reason, steps };
  } catch (err) {
    // The rollout fails with what went wrong first; a failed restore is already logged
    // and would hide it. (Same commands either way: only the failure reported differs.)
    await restoreChampion(isCancellation(err) ? 'rollout cancelled' : `rollout failed: ${failureMessage(err)}`).catch(
      () => undefined,
    );
    throw err;
  }

  /** Bakes one phase (with extensions and pauses); resolves to what happens next. */
  async function runPhase(phase: RolloutPhase, isLast: boolean): Promise<'advance' | 'promote' | Stop> {
    const phaseStart = Date.now();
    let extensions = 0;
    let baked = 0;
    for (;;) {
      bake = {
        phase: phase.label,
        kind: phase.kind,
        weight: phase.kind === 'traffic' ? phase.weight : 0,
        startedAt: phaseStart,
        endsAt: Date.now() + phase.bakeMs,
        extensions,
        maxExtensions: policy.thinTraffic.maxExtensions,
      };
      const bakeEndsIso = new Date(bake.endsAt).toISOString();
      setCurrentDetails(rolloutDetails({ modelId, candidate, champion, phase: phase.label, bakeEndsIso, extensions }));
      await condition(() => abort !== undefined || promoteNow !== undefined, phase.bakeMs, {
        summary: bakeTimerSummary(phase.label, candidate, bakeEndsIso),
      });
      const human = interrupted(phase);
      if (human) return human;
      baked += phase.bakeMs;
      const window = { fromMs: phaseStart, toMs: Date.now(), ...(input.task ? { task: input.task } : {}) };
      const [candidateMetrics, championMetrics, refusals] = await Promise.all([
        act.readLiveMetrics({ modelId, version: candidate, ...window }),
        act.readLiveMetrics({ modelId, version: champion as number, ...window }),
        // The candidate's share that a gateway could not load went to the champion and left no row of its own.
        gated ? act.readLoadFailures({ modelId, version: candidate, fromMs: window.fromMs, toMs: window.toMs }) : null,
      ]);
      const j = judgeStep({
        phase,
        isLast,
        guards: policy.guards,
        thinTraffic: policy.thinTraffic,
        extensions,
        bakedMs: baked,
        candidate: candidateMetrics,
        candidateVersion: candidate,
        champion: championMetrics,
        refusals,
      });
      record({ phase: phase.label, action: j.action, reason: j.reason, metrics: candidateMetrics });
      if (j.action === 'extend') {
        extensions++;
        continue;
      }
      if (j.action === 'rollback' && j.unservable) {
        return {
          outcome: 'rolledBack',
          reason: candidateCannotBeServed(j.unservable),
          unservable: { kind: j.unservable, detail: j.reason, phase: phase.label },
        };
      }
      if (j.action === 'rollback') return { outcome: 'rolledBack', reason: j.reason };
      if (j.action === 'pause') {
        paused = true;
        setCurrentDetails(rolloutDetails({ modelId, candidate, champion, phase: phase.label, paused }));
        await condition(() => abort !== undefined || promoteNow !== undefined);
        paused = false;
        return interrupted(phase) ?? 'advance';
      }
      return j.action === 'promote' ? 'promote' : 'advance';
    }
  }

  function interrupted(phase: RolloutPhase): 'promote' | Stop | undefined {
    if (abort) {
      const reason = `aborted by ${abort.by} during ${phase.label}${abort.reason ? `: ${abort.reason}` : ''}`;
      record({ phase: phase.label, action: 'abort', reason });
      return { outcome: 'aborted', reason };
    }
    if (promoteNow) {
      record({
        phase: phase.label,
        action: promoteNowSignal.name,
        reason: `promoted now by ${promoteNow.by}${promoteNow.reason ? `: ${promoteNow.reason}` : ''}`,
      });
      return 'promote';
    }
    return undefined;
  }
}

function phaseRouting(phase: RolloutPhase, champion: number, candidate: number): RoutingSpec {
  return phase.kind === 'shadow'
    ? { championVersion: champion, shadowVersion: candidate }
    : { championVersion: champion, canary: { version: candidate, weight: phase.weight } };
}
