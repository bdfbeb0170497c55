import {
  CancellationScope,
  ParentClosePolicy,
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { approvalRequirement } from '../../domain/approval/approval-rules.js';
import { summarizeCycle, type CycleOutcome, type CycleReport, type CycleStep } from '../../domain/flywheel/cycle-report.js';
import { FailureType } from '../../domain/failure-types.js';
import { legacySearchAttributesOff } from '../../domain/flywheel/legacy-search-attributes.js';
import { CtCandidateVersion, CtStage } from '../../domain/search-attributes.js';
import { describeBatch } from '../../domain/trigger/trigger.js';
import type { ChampionRef, GateResult, SnapshotRef, TrainResult } from '../activity-types.js';
import { cycleFinishedSignal, cycleProgressSignal } from '../model-flywheel/contract.js';
import { rolloutWorkflowId } from '../rollout/contract.js';
import { rollout } from '../rollout/rollout-workflow.js';
import { ApprovalGate } from './approval-gate.js';
import { cycleStatusQuery, type CycleInput, type CycleStatus } from './contract.js';
import { trainingActivity } from '../shared/activity-options.js';
import { TaskQueue } from '../../domain/task-queues.js';
import { applicationFailure, data, evaluation, failureMessage, quick, trainingOn } from './cycle-steps.js';
import { ReportBuilder } from './report-builder.js';
import { CycleInputSchema } from '../../domain/flywheel/workflow-inputs.js';
import { parseStartInput } from '../shared/parse-input.js';

/** Marks histories whose finalize runs in a non-cancellable scope (a cancel after promotion cannot mark the served candidate rolled back). */
const FINALIZE_NON_CANCELLABLE_PATCH = 'cycle-finalize-non-cancellable';

/** Ends the cycle early with an outcome (not a failure: the report says why). */
class CycleStop extends Error {
  constructor(readonly outcome: CycleOutcome, readonly reason: string) {
    super(reason);
  }
}

/**
 * One run of the CT pipeline: snapshot → validate → train (ct-training) → evaluate →
 * register → approval → rollout child → finalize. Returns a report of every step and
 * why it ended; only cancellation is rethrown (after the rollout restored routing).
 */
export async function trainingCycle(rawInput: CycleInput): Promise<CycleReport> {
  const input = parseStartInput(CycleInputSchema, rawInput, 'trainingCycle') as CycleInput;
  const sa = !legacySearchAttributesOff(rawInput);
  const { modelId, spec, trigger } = input;
  const info = workflowInfo();
  const cycleId = info.workflowId;
  const report = new ReportBuilder(modelId, input.cycle, cycleId, trigger);
  let step: CycleStatus['step'] = 'starting';
  let rejectedInputs = 0;
  // The step a failure is charged to (read through a function: TS cannot see closure writes).
  const failedStep = (): CycleStep => (step === 'starting' || step === 'done' ? 'snapshot' : step);
  const approval = new ApprovalGate(() => void rejectedInputs++);
  setHandler(cycleStatusQuery, () => ({
    cycleId,
    step,
    ...(report.candidateVersion !== undefined ? { candidateVersion: report.candidateVersion } : {}),
    approval: { pending: approval.pending, approvers: approval.approvers, ...(approval.deadlineIso ? { deadline: approval.deadlineIso } : {}), ...(approval.pendingReason ? { reason: approval.pendingReason } : {}) },
    rejectedInputs,
  }));
  const parent = info.parent ? getExternalWorkflowHandle(info.parent.workflowId) : undefined;
  // Every report names this cycle's workflow and first run: the flywheel takes reports only from the child it started.
  const sender = { workflowId: cycleId, runId: info.firstExecutionRunId };
  const tellParent = async (fn: () => Promise<void>) => {
    if (!parent) return;
    try {
      await CancellationScope.nonCancellable(fn);
    } catch (err) {
      log.warn('could not signal the flywheel', { error: String(err) });
    }
  };
  const moveTo = async (s: CycleStep) => {
    step = s;
    if (sa) upsertSearchAttributes([{ key: CtStage, value: s }]);
    await tellParent(() => parent!.signal(cycleProgressSignal, { ...sender, cycle: input.cycle, step: s, championVersion: report.championVersionBefore, ...(report.candidateVersion !== undefined ? { candidateVersion: report.candidateVersion } : {}) }));
  };
  const finish = async (outcome: CycleOutcome, reason: string): Promise<CycleReport> => {
    step = 'done';
    if (sa) upsertSearchAttributes([{ key: CtStage, value: outcome }]);
    const r = report.finish(outcome, reason);
    log.info('cycle finished', { cycleId, outcome, reason });
    await tellParent(() => parent!.signal(cycleFinishedSignal, { ...summarizeCycle(r), ...sender }));
    return r;
  };

  try {
    await runPipeline();
    return await finish('promoted', `v${report.candidateVersion} promoted to champion`);
  } catch (err) {
    if (err instanceof CycleStop) return await finish(err.outcome, err.reason);
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(async () => {
        if (report.candidateVersion !== undefined) {
          await quick.setStage({ modelId, version: report.candidateVersion, stage: 'rolled_back', by: 'flywheel', reason: 'cycle cancelled' }).catch(() => undefined);
        }
        report.failed(failedStep(), 'cycle cancelled; routing restored to the champion');
        await finish('cancelled', 'cycle cancelled; the champion serves all traffic');
      });
      throw err;
    }
    const reason = `${failedStep()} failed: ${failureMessage(err)}`;
    report.failed(failedStep(), reason);
    return await finish('failed', reason);
  }

  async function runPipeline(): Promise<void> {
    const champion = await quick.getChampion(modelId);
    report.championVersionBefore = champion?.version ?? null;
    const snapshot = await snapshotAndValidate(champion);
    const trained = await train(snapshot);
    const gate = await evaluate(snapshot, trained, champion);
    const version = await register(snapshot, trained, gate, champion);
    if (gate.decision === 'reject') {
      const failed = gate.reasons.filter((r) => !r.passed).map((r) => r.message);
      await quick.setStage({ modelId, version, stage: 'rejected', by: 'gate', reason: failed.join('; ') });
      throw new CycleStop('gateRejected', `evaluation gate rejected v${version}: ${failed.join('; ') || 'see reasons'}`);
    }
    await approve(version, gate);
    await rolloutAndFinalize(version, champion, snapshot);
  }

  async function snapshotAndValidate(champion: ChampionRef | null): Promise<SnapshotRef> {
    await moveTo('snapshot');
    const snapshot = await data.snapshotData({ spec, cycleId });
    report.ok('snapshot', `snapshot ${snapshot.snapshotId}: ${snapshot.rowCount} rows (${snapshot.trainRows} train, ${snapshot.heldOutRows} held out)`, { snapshotId: snapshot.snapshotId, sha256: snapshot.sha256 });
    await moveTo('validate');
    try {
      const validation = await data.validateData({ spec, snapshot, ...(champion ? { championVersion: champion.version } : {}) });
      const notes = validation.summary.length > 0 ? validation.summary.join('; ') : 'no problems found';
      if (!validation.passed) {
        report.failed('validate', notes, { validation: compact(validation) });
        throw new CycleStop('dataInvalid', `data validation failed: ${notes}`);
      }
      const drift = validation.driftSkipped ? `drift not checked: ${validation.driftSkipped}` : 'drift vs the champion recorded';
      report.ok('validate', `data quality passed (${notes}); ${drift}`, { validation: compact(validation) });
    } catch (err) {
      const failure = applicationFailure(err, FailureType.DataValidationFailed);
      if (!failure) throw err;
      report.failed('validate', failure.message, { validation: compact(failure.details?.[0]) });
      throw new CycleStop('dataInvalid', `data validation failed: ${failure.message}`);
    }
    return snapshot;
  }

  async function train(snapshot: SnapshotRef): Promise<TrainResult> {
    await moveTo('train');
    const trained = await trainingOn(input.trainingTaskQueue).trainModel.executeWithOptions(
      { ...trainingActivity, taskQueue: input.trainingTaskQueue ?? TaskQueue.training, activityId: `train:${cycleId}` },
      [{ spec, snapshot, cycleId }],
    );
    report.resumedFromCheckpoint = trained.resumedFromCheckpoint;
    report.ok('train', `trained with the ${trained.trainer} trainer for ${trained.epochs} epochs${trained.resumedFromCheckpoint ? ', resumed from a checkpoint after a worker was lost' : ''}`, {
      artifactSha256: trained.artifactSha256,
      sizeBytes: trained.sizeBytes,
      trainingMetrics: trained.trainingMetrics,
      resumedFromCheckpoint: trained.resumedFromCheckpoint,
    });
    return trained;
  }

  async function evaluate(snapshot: SnapshotRef, trained: TrainResult, champion: ChampionRef | null): Promise<GateResult> {
    await moveTo('evaluate');
    const gate = await evaluation.evaluateCandidate({ spec, snapshot, candidateSha256: trained.artifactSha256, ...(champion ? { championVersion: champion.version } : {}) });
    const failed = gate.reasons.filter((r) => !r.passed);
    const verdict = gate.decision === 'promote' ? `gate passed (${gate.reasons.filter((r) => r.status === 'passed').length} checks)` : `gate rejected: ${failed.map((r) => r.message).join('; ')}`;
    // A corrupt champion answers 503 until it is replaced: the cycle says so wherever its report is read.
    const corrupt = gate.championUnservable;
    if (corrupt) {
      report.finding(`champion v${corrupt.version} cannot be served (${corrupt.kind}): ${corrupt.detail}`);
      log.error('the champion cannot be served', { cycleId, alert: 'champion_unservable', ...corrupt });
    }
    const detail = corrupt ? `champion v${corrupt.version} cannot be served (${corrupt.kind}): judged on absolute floors only; ${verdict}` : verdict;
    (gate.decision === 'promote' ? report.ok : report.failed).call(report, 'evaluate', detail, { metrics: gate.metrics, decision: gate.decision, ...(corrupt ? { championUnservable: corrupt } : {}) });
    return gate;
  }

  async function register(snapshot: SnapshotRef, trained: TrainResult, gate: GateResult, champion: ChampionRef | null): Promise<number> {
    await moveTo('register');
    const heldOut = Object.fromEntries(Object.entries(gate.metrics.challenger).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
    const { version, created } = await quick.registerCandidate({
      modelId,
      // Idempotency key: retries of this run get the same version back, while a cycle id
      // reused by a flywheel restarted from scratch (numbering from 1 again) registers anew.
      cycleId: `${cycleId}@${info.firstExecutionRunId}`,
      artifactSha256: trained.artifactSha256,
      lineage: {
        dataset: { snapshotId: snapshot.snapshotId, sha256: snapshot.sha256, rowCount: snapshot.rowCount },
        codeVersion: input.codeVersion ?? 'unknown',
        trainer: { kind: trained.trainer, hyperparameters: { ...trained.hyperparameters }, ...(trained.warmStartedFromVersion !== undefined ? { warmStartFromVersion: trained.warmStartedFromVersion } : {}) },
        metrics: { heldOut, training: { ...trained.trainingMetrics } },
        // A champion that could not be loaded was not compared with, whatever the alias says.
        comparedWith: champion && !gate.championUnservable ? { version: champion.version, artifactSha256: champion.artifactSha256 } : null,
        gate: { decision: gate.decision, reasons: gate.reasons, ...(gate.significance ? { significance: gate.significance } : {}), latencyP95Ms: gate.latencyP95Ms },
        trigger: { kind: trigger.primary, reason: describeBatch(trigger), at: new Date(trigger.firstAt).toISOString() },
        cycle: { workflowId: cycleId, runId: info.runId },
      },
    });
    report.candidateVersion = version;
    if (sa) upsertSearchAttributes([{ key: CtCandidateVersion, value: version }]);
    report.ok('register', `registered as v${version}${created ? '' : ' (already registered by an earlier attempt)'}`, { version });
    return version;
  }

  async function approve(version: number, gate: GateResult): Promise<void> {
    await moveTo('approval');
    const need = approvalRequirement(spec.approval, {
      primaryMetric: spec.gate.primaryMetric,
      challenger: gate.metrics.challenger,
      champion: gate.metrics.champion ?? null,
      ...(trigger.maxScore.drift !== undefined ? { driftSeverity: trigger.maxScore.drift } : {}),
    });
    const at = () => new Date().toISOString();
    if (!need.required) {
      await quick.recordApproval({ modelId, version, approval: { decision: 'autoApproved', by: 'flywheel', at: at(), comment: need.reason } });
      await quick.setStage({ modelId, version, stage: 'approved', by: 'flywheel', reason: need.reason });
      report.ok('approval', `auto-approved: ${need.reason}`);
      return;
    }
    log.info('waiting for approval', { cycleId, version, reason: need.reason, approvers: spec.approval.approvers });
    const answer = await approval.wait(spec.approval, need.reason);
    const decision = answer.timedOut ? 'timedOut' : answer.approved ? 'approved' : 'rejected';
    await quick.recordApproval({ modelId, version, approval: { decision, by: answer.by, at: answer.at, ...(answer.comment ? { comment: answer.comment } : {}) } });
    if (!answer.approved) {
      await quick.setStage({ modelId, version, stage: 'rejected', by: answer.by, reason: answer.reason });
      report.failed('approval', `${need.reason}; ${answer.reason}`);
      throw new CycleStop(answer.timedOut ? 'approvalTimedOut' : 'approvalRejected', answer.reason);
    }
    await quick.setStage({ modelId, version, stage: 'approved', by: answer.by, reason: answer.reason });
    report.ok('approval', `${need.reason}; ${answer.reason}`, { by: answer.by, at: answer.at, timedOut: answer.timedOut });
  }

  async function rolloutAndFinalize(version: number, champion: ChampionRef | null, snapshot: SnapshotRef): Promise<void> {
    await moveTo('rollout');
    await quick.setAlias({ modelId, alias: 'challenger', version });
    const result = await executeChild(rollout, {
      workflowId: rolloutWorkflowId(cycleId),
      args: [{ modelId, candidateVersion: version, championVersion: champion?.version ?? null, policy: spec.rollout, task: spec.task, heldOut: snapshot }],
      // A terminated cycle must not leave a canary running: ask the rollout to restore routing.
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      staticSummary: `${spec.rollout.strategy} rollout of ${modelId} v${version}`,
    });
    const at = new Date().toISOString();
    const detail = result.steps[result.steps.length - 1]?.phase;
    if (result.outcome !== 'promoted') {
      await quick.recordRolloutOutcome({ modelId, version, outcome: { outcome: result.outcome === 'aborted' ? 'aborted' : 'rolled_back', at, reasons: [result.reason], ...(detail ? { detail } : {}) } });
      await quick.setStage({ modelId, version, stage: 'rolled_back', by: 'rollout', reason: result.reason });
      // The report names what could not be served, and where, not only that the rollout stopped.
      const u = result.unservable;
      report.failed('rollout', u ? `${result.reason}: ${u.detail} (${u.phase})` : result.reason, { steps: result.steps.length, ...(u ? { unservable: u } : {}) });
      throw new CycleStop(result.outcome === 'aborted' ? 'aborted' : 'rolledBack', result.reason);
    }
    // The rollout child has routed all traffic to the candidate: from here a cancel must not
    // mark it rolled back. Finalize runs to the end so the registry says what routing does.
    const finalize = async () => {
      report.ok('rollout', result.reason, { steps: result.steps.map((s) => `${s.phase}: ${s.action}`) });
      await moveTo('finalize');
      await quick.recordRolloutOutcome({ modelId, version, outcome: { outcome: 'completed', at, reasons: [result.reason], ...(detail ? { detail } : {}) } });
      await quick.setStage({ modelId, version, stage: 'production', by: 'rollout', reason: result.reason });
      await quick.setAlias({ modelId, alias: 'champion', version });
      if (champion) await quick.setStage({ modelId, version: champion.version, stage: 'archived', by: 'flywheel', reason: `replaced by v${version}` });
      report.ok('finalize', `v${version} is the champion${champion ? `; v${champion.version} archived` : ''}`);
    };
    // Histories recorded before this patch replay the old, cancellable finalize.
    if (!patched(FINALIZE_NON_CANCELLABLE_PATCH)) return finalize();
    await CancellationScope.nonCancellable(finalize);
    if (CancellationScope.current().consideredCancelled) {
      report.finding(`cancel requested after v${version} took all traffic: the promotion stands and finalize completed`);
    }
  }
}

/** Keeps a validation report small in the cycle report (payloads stay far below 2 MB). */
function compact(x: unknown): unknown {
  const s = JSON.stringify(x ?? null);
  return s.length <= 4000 ? x : { truncated: true, preview: s.slice(0, 4000) };
}
