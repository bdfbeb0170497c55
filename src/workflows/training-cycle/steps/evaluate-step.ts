import { log } from '@temporalio/workflow';
import type { CycleStepModule } from '../cycle-run.js';
import { evaluation } from '../cycle-steps.js';

/** Scores the candidate against the champion on the held-out rows and lets the gate decide. */
export const evaluateStep: CycleStepModule = {
  name: 'evaluate',
  async run(c) {
    const { champion } = c.facts;
    const gate = await evaluation.evaluateCandidate({
      spec: c.input.spec,
      snapshot: c.need('snapshot'),
      candidateSha256: c.need('trained').artifactSha256,
      ...(champion ? { championVersion: champion.version } : {}),
    });
    c.facts.gate = gate;
    const failed = gate.reasons.filter((r) => !r.passed);
    const verdict =
      gate.decision === 'promote'
        ? `gate passed (${gate.reasons.filter((r) => r.status === 'passed').length} checks)`
        : `gate rejected: ${failed.map((r) => r.message).join('; ')}`;
    // A corrupt champion answers 503 until it is replaced: the cycle says so wherever its report is read.
    const corrupt = gate.championUnservable;
    if (corrupt) {
      c.report.finding(`champion v${corrupt.version} cannot be served (${corrupt.kind}): ${corrupt.detail}`);
      log.error('the champion cannot be served', { cycleId: c.cycleId, alert: 'champion_unservable', ...corrupt });
    }
    const detail = corrupt
      ? `champion v${corrupt.version} cannot be served (${corrupt.kind}): judged on absolute floors only; ${verdict}`
      : verdict;
    (gate.decision === 'promote' ? c.report.ok : c.report.failed).call(c.report, 'evaluate', detail, {
      metrics: gate.metrics,
      decision: gate.decision,
      ...(corrupt ? { championUnservable: corrupt } : {}),
    });
  },
};
