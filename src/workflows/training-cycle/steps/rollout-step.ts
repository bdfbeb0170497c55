import { executeChild, ParentClosePolicy, patched } from '@temporalio/workflow';
import { rolloutWorkflowId, type RolloutInput, type RolloutResult } from '../../../contracts/rollout.js';
import { planRollout } from '../../../domain/rollout/rollout-plan.js';
import { rollout } from '../../rollout/rollout-workflow.js';
import { switchAtOnce } from '../../rollout/switch-at-once.js';
import type { RolloutOutcome } from '../../../domain/records/model-version.js';
import { CycleStop, type CycleRun, type CycleStepModule } from '../cycle-run.js';
import type { VersionChange } from '../../../domain/records/version-changes.js';

/** The record of how the candidate's rollout ended (the result the rollout step kept), with its last phase. */
export function rolloutOutcomeChange(c: CycleRun, outcome: RolloutOutcome['outcome']): VersionChange {
  const { result, at } = c.need('rollout');
  const detail = result.steps[result.steps.length - 1]?.phase;
  return {
    kind: 'rolloutOutcome',
    version: c.need('version'),
    outcome: { outcome, at, reasons: [result.reason], ...(detail ? { detail } : {}) },
  };
}

/**
 * Marks cycles that run a rollout with nothing to bake (a `direct` policy or a first model)
 * themselves ({@link switchAtOnce}) instead of as a rollout child. Histories recorded before
 * it replay with the child.
 */
export const INLINE_SWITCH_PATCH = 'cycle-switch-at-once-inline';

/** A switch with no bake runs in the cycle (new histories); a staged rollout, or an older history, runs the child. */
async function runRollout(input: RolloutInput, staticSummary: string, cycleId: string): Promise<RolloutResult> {
  const atOnce = input.championVersion === null || planRollout(input.policy).length === 0;
  if (atOnce && patched(INLINE_SWITCH_PATCH)) return switchAtOnce(input);
  return executeChild(rollout, {
    workflowId: rolloutWorkflowId(cycleId),
    args: [input],
    // A terminated cycle must not leave a canary running: ask the rollout to restore routing.
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    staticSummary,
  });
}

/**
 * Makes the candidate the challenger and runs the rollout (a child, or in the cycle when there is nothing to bake). A rollout that does not
 * promote restored the champion's routing; the candidate is recorded rolled back.
 */
export const rolloutStep: CycleStepModule = {
  name: 'rollout',
  async run(c) {
    const { modelId, spec } = c.input;
    const version = c.need('version');
    await c.versionEvent(version, 'rolloutStarted', { by: 'flywheel' });
    const input: RolloutInput = {
      modelId,
      candidateVersion: version,
      championVersion: c.facts.champion?.version ?? null,
      policy: spec.rollout,
      task: spec.task,
      heldOut: c.need('snapshot'),
    };
    const result = await runRollout(input, `${spec.rollout.strategy} rollout of ${modelId} v${version}`, c.cycleId);
    const at = new Date().toISOString();
    c.facts.rollout = { result, at };
    if (result.outcome === 'promoted') {
      c.report.ok('rollout', result.reason, { steps: result.steps.map((s) => `${s.phase}: ${s.action}`) });
      return;
    }
    await c.versionChanges([
      rolloutOutcomeChange(c, result.outcome === 'aborted' ? 'aborted' : 'rolled_back'),
      {
        kind: 'event',
        version,
        event: result.outcome === 'aborted' ? 'aborted' : 'rolledBack',
        by: 'rollout',
        reason: result.reason,
      },
    ]);
    // The report names what could not be served, and where, not only that the rollout stopped.
    const u = result.unservable;
    c.report.failed('rollout', u ? `${result.reason}: ${u.detail} (${u.phase})` : result.reason, {
      steps: result.steps.length,
      ...(u ? { unservable: u } : {}),
    });
    throw new CycleStop(result.outcome === 'aborted' ? 'aborted' : 'rolledBack', result.reason);
  },
};
