import { executeChild, ParentClosePolicy } from '@temporalio/workflow';
import { rolloutWorkflowId } from '../../../contracts/rollout.js';
import { rollout } from '../../rollout/rollout-workflow.js';
import type { RolloutOutcome } from '../../../domain/records/model-version.js';
import { CycleStop, type CycleRun, type CycleStepModule } from '../cycle-run.js';
import { light } from '../cycle-steps.js';

/** Records how the candidate's rollout ended (the result the rollout step kept), with its last phase. */
export async function recordRolloutOutcome(c: CycleRun, outcome: RolloutOutcome['outcome']): Promise<void> {
  const { result, at } = c.need('rollout');
  const detail = result.steps[result.steps.length - 1]?.phase;
  await light().recordRolloutOutcome({
    modelId: c.input.modelId,
    version: c.need('version'),
    outcome: { outcome, at, reasons: [result.reason], ...(detail ? { detail } : {}) },
  });
}

/**
 * Makes the candidate the challenger and runs the rollout child. A rollout that does not
 * promote restored the champion's routing; the candidate is recorded rolled back.
 */
export const rolloutStep: CycleStepModule = {
  name: 'rollout',
  async run(c) {
    const { modelId, spec } = c.input;
    const version = c.need('version');
    await c.versionEvent(version, 'rolloutStarted', { by: 'flywheel' });
    const result = await executeChild(rollout, {
      workflowId: rolloutWorkflowId(c.cycleId),
      args: [
        {
          modelId,
          candidateVersion: version,
          championVersion: c.facts.champion?.version ?? null,
          policy: spec.rollout,
          task: spec.task,
          heldOut: c.need('snapshot'),
        },
      ],
      // A terminated cycle must not leave a canary running: ask the rollout to restore routing.
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      staticSummary: `${spec.rollout.strategy} rollout of ${modelId} v${version}`,
    });
    const at = new Date().toISOString();
    c.facts.rollout = { result, at };
    if (result.outcome === 'promoted') {
      c.report.ok('rollout', result.reason, { steps: result.steps.map((s) => `${s.phase}: ${s.action}`) });
      return;
    }
    await recordRolloutOutcome(c, result.outcome === 'aborted' ? 'aborted' : 'rolled_back');
    await c.versionEvent(version, result.outcome === 'aborted' ? 'aborted' : 'rolledBack', {
      by: 'rollout',
      reason: result.reason,
    });
    // The report names what could not be served, and where, not only that the rollout stopped.
    const u = result.unservable;
    c.report.failed('rollout', u ? `${result.reason}: ${u.detail} (${u.phase})` : result.reason, {
      steps: result.steps.length,
      ...(u ? { unservable: u } : {}),
    });
    throw new CycleStop(result.outcome === 'aborted' ? 'aborted' : 'rolledBack', result.reason);
  },
};
