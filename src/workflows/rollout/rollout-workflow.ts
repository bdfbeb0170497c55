import { CancellationScope, condition, log, setHandler, isCancellation } from '@temporalio/workflow';
import { planRollout, type RolloutPhase } from '../../domain/rollout/rollout-plan.js';
import { judgeStep } from '../../domain/rollout/judge-step.js';
import { RolloutCommandSchema, type RolloutCommand } from '../../domain/signals.js';
import type { RoutingSpec } from '../../domain/records/routing.js';
import type { RolloutActivities } from '../activity-types.js';
import { quickActivity } from '../shared/activity-options.js';
import { rolloutActivitySummaries } from '../shared/activity-summaries.js';
import { describedActivities } from '../shared/described-activities.js';
import { parsePayload } from '../shared/parse-payload.js';
import {
  abortRolloutSignal,
  promoteNowSignal,
  rolloutStatusQuery,
  type RolloutInput,
  type RolloutResult,
  type RolloutStepRecord,
} from './contract.js';

const act = describedActivities<RolloutActivities>(quickActivity, rolloutActivitySummaries);

/**
 * Progressive delivery of one candidate: for each phase of the plan it sets the routing
 * table, bakes on a durable timer, reads the candidate's (and champion's) live metrics
 * and advances, extends, pauses for a human, promotes or rolls back. Any failure, abort
 * or cancellation restores the champion's routing in a non-cancellable scope.
 */
export async function rollout(input: RolloutInput): Promise<RolloutResult> {
  const { modelId, candidateVersion: candidate, championVersion: champion, policy } = input;
  const steps: RolloutStepRecord[] = [];
  let phaseLabel = 'starting';
  let paused = false;
  let rejected = 0;
  let abort: RolloutCommand | undefined;
  let promoteNow: RolloutCommand | undefined;
  const reject = () => void rejected++;
  setHandler(abortRolloutSignal, (p) => void (abort ??= parsePayload(RolloutCommandSchema, p, 'abortRollout', reject)));
  setHandler(promoteNowSignal, (p) => void (promoteNow ??= parsePayload(RolloutCommandSchema, p, 'promoteNow', reject)));
  setHandler(rolloutStatusQuery, () => ({ phase: phaseLabel, paused, steps, rejectedInputs: rejected }));
  const record = (s: Omit<RolloutStepRecord, 'at'>) => {
    steps.push({ ...s, at: Date.now() });
    log.info('rollout step', { modelId, candidate, phase: s.phase, action: s.action, reason: s.reason });
  };
  const route = (routing: RoutingSpec, summary: string) =>
    act.setRouting.executeWithOptions({ ...quickActivity, summary }, [{ modelId, routing }]);

  if (champion === null) {
    await route({ championVersion: candidate }, `serve v${candidate}: first model`);
    const reason = `first model of ${modelId}: no champion to compare with, v${candidate} serves all traffic`;
    record({ phase: 'direct', action: 'promote', reason });
    return { outcome: 'promoted', reason, steps };
  }

  // Compensation: whatever happened, the champion gets all traffic back.
  let routed = false;
  const restoreChampion = async (why: string) => {
    if (!routed) return;
    await CancellationScope.nonCancellable(async () => {
      try {
        await route({ championVersion: champion }, `restore champion v${champion}: ${why}`);
        routed = false;
      } catch (err) {
        log.error('could not restore the champion routing', { modelId, champion, error: String(err) });
        throw err;
      }
    });
  };

  const plan = planRollout(policy);
  try {
    record({ phase: policy.strategy, action: 'start', reason: `${policy.strategy} rollout of v${candidate} against champion v${champion}: ${plan.map((p) => p.label).join(' → ') || 'switch at once'}` });
    for (const [i, phase] of plan.entries()) {
      phaseLabel = phase.label;
      await route(phaseRouting(phase, champion, candidate), phase.label);
      routed = true;
      const verdict = await runPhase(phase, i === plan.length - 1);
      if (verdict === 'advance') continue;
      if (verdict === 'promote') break;
      await restoreChampion(verdict.reason);
      return { outcome: verdict.outcome, reason: verdict.reason, steps };
    }
    phaseLabel = 'promoted';
    await route({ championVersion: candidate }, `promote v${candidate}`);
    routed = false;
    const last = steps[steps.length - 1];
    const reason = plan.length === 0 ? `direct rollout: v${candidate} serves all traffic` : `v${candidate} promoted: ${last?.reason ?? 'all phases passed'}`;
    return { outcome: 'promoted', reason, steps };
  } catch (err) {
    await restoreChampion(isCancellation(err) ? 'rollout cancelled' : `rollout failed: ${String(err)}`);
    throw err;
  }

  /** Bakes one phase (with extensions and pauses); resolves to what happens next. */
  async function runPhase(phase: RolloutPhase, isLast: boolean): Promise<'advance' | 'promote' | { outcome: 'rolledBack' | 'aborted'; reason: string }> {
    const phaseStart = Date.now();
    let extensions = 0;
    let baked = 0;
    for (;;) {
      await condition(() => abort !== undefined || promoteNow !== undefined, phase.bakeMs);
      const human = interrupted(phase);
      if (human) return human;
      baked += phase.bakeMs;
      const window = { fromMs: phaseStart, toMs: Date.now(), ...(input.task ? { task: input.task } : {}) };
      const [candidateMetrics, championMetrics] = await Promise.all([
        act.readLiveMetrics({ modelId, version: candidate, ...window }),
        act.readLiveMetrics({ modelId, version: champion as number, ...window }),
      ]);
      const j = judgeStep({ phase, isLast, guards: policy.guards, thinTraffic: policy.thinTraffic, extensions, bakedMs: baked, candidate: candidateMetrics, champion: championMetrics });
      record({ phase: phase.label, action: j.action, reason: j.reason, metrics: candidateMetrics });
      if (j.action === 'extend') {
        extensions++;
        continue;
      }
      if (j.action === 'rollback') return { outcome: 'rolledBack', reason: j.reason };
      if (j.action === 'pause') {
        paused = true;
        await condition(() => abort !== undefined || promoteNow !== undefined);
        paused = false;
        return interrupted(phase) ?? 'advance';
      }
      return j.action === 'promote' ? 'promote' : 'advance';
    }
  }

  function interrupted(phase: RolloutPhase): 'promote' | { outcome: 'aborted'; reason: string } | undefined {
    if (abort) {
      const reason = `aborted by ${abort.by} during ${phase.label}${abort.reason ? `: ${abort.reason}` : ''}`;
      record({ phase: phase.label, action: 'abort', reason });
      return { outcome: 'aborted', reason };
    }
    if (promoteNow) {
      record({ phase: phase.label, action: 'promoteNow', reason: `promoted now by ${promoteNow.by}${promoteNow.reason ? `: ${promoteNow.reason}` : ''}` });
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
