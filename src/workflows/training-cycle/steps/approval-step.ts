import { log } from '@temporalio/workflow';
import { approvalRequirement } from '../../../domain/approval/approval-rules.js';
import { CycleStop, type CycleStepModule } from '../cycle-run.js';
import { startApprovalWait } from '../approval-metrics.js';

/** Approves the candidate by policy, or waits for a human (durable timeout) and records the answer. */
export const approvalStep: CycleStepModule = {
  name: 'approval',
  async run(c) {
    const { modelId, spec, trigger } = c.input;
    const version = c.need('version');
    const gate = c.need('gate');
    const need = approvalRequirement(spec.approval, {
      primaryMetric: spec.gate.primaryMetric,
      challenger: gate.metrics.challenger,
      champion: gate.metrics.champion ?? null,
      ...(trigger.maxScore.drift !== undefined ? { driftSeverity: trigger.maxScore.drift } : {}),
    });
    if (!need.required) {
      await c.versionChanges([
        {
          kind: 'approval',
          version,
          approval: { decision: 'autoApproved', by: 'flywheel', at: new Date().toISOString(), comment: need.reason },
        },
        { kind: 'event', version, event: 'approved', by: 'flywheel', reason: need.reason },
      ]);
      c.report.ok('approval', `auto-approved: ${need.reason}`);
      return;
    }
    log.info('waiting for approval', {
      cycleId: c.cycleId,
      version,
      reason: need.reason,
      approvers: spec.approval.approvers,
    });
    const wait = startApprovalWait(modelId);
    const waiting = c.approval.wait(spec.approval, need.reason, version);
    c.showDetails(); // pending from here: approvers and deadline
    const answer = await waiting;
    c.showDetails();
    const decision = answer.timedOut ? 'timedOut' : answer.approved ? 'approved' : 'rejected';
    wait.done(decision);
    const refusal = answer.timedOut ? 'approvalTimedOut' : 'approvalRejected';
    await c.versionChanges([
      {
        kind: 'approval',
        version,
        approval: { decision, by: answer.by, at: answer.at, ...(answer.comment ? { comment: answer.comment } : {}) },
      },
      { kind: 'event', version, event: answer.approved ? 'approved' : refusal, by: answer.by, reason: answer.reason },
    ]);
    if (!answer.approved) {
      c.report.failed('approval', `${need.reason}; ${answer.reason}`);
      throw new CycleStop(refusal, answer.reason);
    }
    c.report.ok('approval', `${need.reason}; ${answer.reason}`, {
      by: answer.by,
      at: answer.at,
      timedOut: answer.timedOut,
    });
  },
};
