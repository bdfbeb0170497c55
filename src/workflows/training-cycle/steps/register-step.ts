import { workflowInfo } from '@temporalio/workflow';
import { buildLineage } from '../../../domain/records/build-lineage.js';
import { CycleStop, type CycleStepModule } from '../cycle-run.js';
import { light } from '../cycle-steps.js';

/**
 * Registers the candidate with its lineage, whatever the gate said (a rejected model is a
 * record too), then marks a gate-rejected one and ends the cycle.
 */
export const registerStep: CycleStepModule = {
  name: 'register',
  async run(c) {
    const { modelId, codeVersion, trigger } = c.input;
    const info = workflowInfo();
    const gate = c.need('gate');
    const { version, created } = await light().registerCandidate({
      modelId,
      // Idempotency key: retries of this run get the same version back, while a cycle id
      // reused by a flywheel restarted from scratch (numbering from 1 again) registers anew.
      cycleId: `${c.cycleId}@${info.firstExecutionRunId}`,
      artifactSha256: c.need('trained').artifactSha256,
      lineage: buildLineage({
        snapshot: c.need('snapshot'),
        codeVersion,
        trained: c.need('trained'),
        gate,
        champion: c.facts.champion,
        trigger,
        cycle: { workflowId: c.cycleId, runId: info.runId },
      }),
    });
    c.candidateRegistered(version);
    c.report.ok(
      'register',
      `registered as v${version}${created ? '' : ' (already registered by an earlier attempt)'}`,
      { version },
    );
    if (gate.decision === 'reject') {
      const failed = gate.reasons.filter((r) => !r.passed).map((r) => r.message);
      await c.versionEvent(version, 'gateRejected', { by: 'gate', reason: failed.join('; ') });
      throw new CycleStop(
        'gateRejected',
        `evaluation gate rejected v${version}: ${failed.join('; ') || 'see reasons'}`,
      );
    }
  },
};
