import { CancellationScope } from '@temporalio/workflow';
import { candidateCannotBeServed, type UnservableKind } from '../../domain/rollout/serviceability.js';
import type { RolloutInput, RolloutResult, RolloutStepRecord } from '../../contracts/rollout.js';
import type { RolloutActivities } from '../activity-types.js';
import { lightActivity, quickActivity } from '../shared/activity-options.js';
import { rolloutActivitySummaries } from '../shared/activity-summaries.js';
import { describedActivities, describedLocalActivities } from '../shared/described-activities.js';

const act = describedActivities<RolloutActivities>(quickActivity, rolloutActivitySummaries);
const local = describedLocalActivities<RolloutActivities>(lightActivity, rolloutActivitySummaries);

/** The serviceability check of a rollout's candidate: held-out rows of its snapshot when it has one. */
export const servableCheckOf = (input: RolloutInput) => ({
  modelId: input.modelId,
  version: input.candidateVersion,
  ...(input.heldOut ? { snapshot: input.heldOut } : {}),
  ...(input.task ? { task: input.task } : {}),
});

/** Why the candidate serves all traffic after a switch with no bake (the rollout's reason, child or inline). */
export const switchedReason = (input: RolloutInput): string =>
  input.championVersion === null
    ? `first model of ${input.modelId}: no champion to compare with, v${input.candidateVersion} serves all traffic`
    : `direct rollout: v${input.candidateVersion} serves all traffic`;

/** A failed serviceability check `where` as the rollout reports it: its reason, its step's reason and what failed. */
export function unservableAt(where: string, failed: { kind: UnservableKind; detail: string }) {
  const reason = candidateCannotBeServed(failed.kind);
  return {
    reason,
    stepReason: `${where}: ${reason}: ${failed.detail}`,
    unservable: { kind: failed.kind, detail: failed.detail, phase: where },
  };
}

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
  if (champion !== null) {
    steps.push({
      phase: policy.strategy,
      action: 'start',
      reason: `${policy.strategy} rollout of v${candidate} against champion v${champion}: switch at once`,
      at: Date.now(),
    });
  }
  const check = await act.checkServable(servableCheckOf(input));
  if (!check.servable) {
    const where = champion === null ? 'before serving the first model' : 'before promotion';
    const { reason, stepReason, unservable } = unservableAt(where, check);
    steps.push({ phase: where, action: 'rollback', reason: stepReason, at: Date.now() });
    return { outcome: 'rolledBack', reason, steps, unservable };
  }
  const summary = champion === null ? `serve v${candidate}: first model` : `promote v${candidate}`;
  await CancellationScope.nonCancellable(() =>
    local.setRouting.executeWithOptions({ ...lightActivity, summary }, [
      { modelId, routing: { championVersion: candidate } },
    ]),
  );
  const reason = switchedReason(input);
  if (champion === null) steps.push({ phase: 'direct', action: 'promote', reason, at: Date.now() });
  return { outcome: 'promoted', reason, steps };
}
