import { CancellationScope } from '@temporalio/workflow';
import { candidateCannotBeServed } from '../../domain/rollout/serviceability.js';
import type { RolloutInput, RolloutResult, RolloutStepRecord } from '../../contracts/rollout.js';
import type { RolloutActivities } from '../activity-types.js';
import { lightActivity, quickActivity } from '../shared/activity-options.js';
import { rolloutActivitySummaries } from '../shared/activity-summaries.js';
import { describedActivities, describedLocalActivities } from '../shared/described-activities.js';

const act = describedActivities<RolloutActivities>(quickActivity, rolloutActivitySummaries);
const local = describedLocalActivities<RolloutActivities>(lightActivity, rolloutActivitySummaries);

/**
 * A rollout with nothing to bake (a `direct` policy, or a first model with no champion to
 * compare with), run by the cycle itself instead of as a rollout child: no bake means no
 * timer, signal or query that a workflow of its own would carry, and the child cost a start,
 * two workflow tasks and its result (about 60 ms of a 220 ms cycle on the dev server).
 *
 * The same steps and result as the rollout workflow's switch: the candidate must load and
 * answer held-out rows in the serving runtime, then it takes all traffic in one routing write,
 * which a cancel waits for (nothing is left half-routed; the cycle's finalize, shielded, then
 * makes the records agree).
 */
export async function switchAtOnce(input: RolloutInput): Promise<RolloutResult> {
  const { modelId, candidateVersion: candidate, championVersion: champion, policy } = input;
  const steps: RolloutStepRecord[] = [];
  const where = champion === null ? 'before serving the first model' : 'before promotion';
  if (champion !== null) {
    steps.push({
      phase: policy.strategy,
      action: 'start',
      reason: `${policy.strategy} rollout of v${candidate} against champion v${champion}: switch at once`,
      at: Date.now(),
    });
  }
  const check = await act.checkServable({
    modelId,
    version: candidate,
    ...(input.heldOut ? { snapshot: input.heldOut } : {}),
    ...(input.task ? { task: input.task } : {}),
  });
  if (!check.servable) {
    const reason = candidateCannotBeServed(check.kind);
    steps.push({ phase: where, action: 'rollback', reason: `${where}: ${reason}: ${check.detail}`, at: Date.now() });
    return {
      outcome: 'rolledBack',
      reason,
      steps,
      unservable: { kind: check.kind, detail: check.detail, phase: where },
    };
  }
  const summary = champion === null ? `serve v${candidate}: first model` : `promote v${candidate}`;
  await CancellationScope.nonCancellable(() =>
    local.setRouting.executeWithOptions({ ...lightActivity, summary }, [
      { modelId, routing: { championVersion: candidate } },
    ]),
  );
  if (champion === null) {
    const reason = `first model of ${modelId}: no champion to compare with, v${candidate} serves all traffic`;
    steps.push({ phase: 'direct', action: 'promote', reason, at: Date.now() });
    return { outcome: 'promoted', reason, steps };
  }
  return { outcome: 'promoted', reason: `direct rollout: v${candidate} serves all traffic`, steps };
}
