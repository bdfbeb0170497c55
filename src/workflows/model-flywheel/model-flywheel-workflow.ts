import {
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  setCurrentDetails,
  startChild,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
  isCancellation,
} from '@temporalio/workflow';
import { CYCLE_PRIORITY_KEY } from '../../domain/task-priority.js';
import { Flywheel } from '../../domain/flywheel/flywheel-state.js';
import type { CycleSummary } from '../../domain/flywheel/cycle-report.js';
import type { ModelSpec } from '../../domain/model-spec/model-spec.js';
import { DEFAULT_TRIGGER_POLICY } from '../../domain/policies/trigger-policy.js';
import { CtModelId, CtStage, CtTrigger } from '../../domain/search-attributes.js';
import { failureMessage } from '../training-cycle/cycle-steps.js';
import { cycleWorkflowId, reportBySignalSignal, type CycleInput } from '../../contracts/training-cycle.js';
import { trainingCycle } from '../training-cycle/training-cycle-workflow.js';
import { parseFlywheelInput, type ParsedFlywheelInput } from '../../domain/flywheel/flywheel-input.js';
import { legacySearchAttributesOff } from '../../domain/flywheel/legacy-search-attributes.js';
import type { FlywheelInput } from '../../contracts/model-flywheel.js';
import type { CycleReportHandlers } from './cycle-report-handlers.js';
import { installFlywheelHandlers } from './flywheel-signals.js';
import { flywheelDetails, flywheelTimerSummary } from '../shared/ui-details.js';
import { FlywheelMetrics } from './flywheel-metrics.js';

/** Continue-as-new at this history length even if the server never suggests it (the Java test server does not). */
const DEFAULT_HISTORY_LIMIT = 10_000;
/** Beyond this, continue-as-new even with a cycle in flight (it reports back by signal). */
const HARD_HISTORY_LIMIT = 40_000;

/**
 * The per-model entity workflow (`flywheel:<modelId>`). Signals feed the pure trigger
 * policy; this loop starts one `trainingCycle` child at a time, wakes for debounce and
 * deferral timers, and continues-as-new carrying its JSON state. It never fails on bad
 * input or a failed cycle: both are recorded in `status`.
 */
export async function modelFlywheel(rawInput: FlywheelInput): Promise<void> {
  // Parsed here, not trusted: anyone can start this workflow by name with any JSON.
  const input = parseFlywheelInput(rawInput, workflowInfo().workflowId);
  const fw = input.carried
    ? Flywheel.restore(input.carried)
    : Flywheel.create(input.modelId, input.spec, DEFAULT_TRIGGER_POLICY);
  reportInputProblems(fw, input);
  const reports = installFlywheelHandlers(fw);
  const historyLimit = input.options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const sa = !legacySearchAttributesOff(rawInput);
  const cycleOptions = {
    ...(input.options.trainingTaskQueue ? { trainingTaskQueue: input.options.trainingTaskQueue } : {}),
    ...(input.options.codeVersion ? { codeVersion: input.options.codeVersion } : {}),
  };
  const carryOptions = Object.keys(input.options).length > 0 ? { options: input.options } : {};
  describeInUi(fw.modelId, fw.spec, sa);
  // A cycle carried over from the previous run reports back with its cycleFinished signal
  // (this run's predecessor told it to: tellCycleToReport).
  const needsStart = () => fw.triggerState.running !== null && fw.inFlight === null;
  const metrics = new FlywheelMetrics(fw);
  const hardHistoryLimit = input.options.hardHistoryLimit ?? HARD_HISTORY_LIMIT;
  // A cycle this run did not start (carried from the run before) never reports its result here.
  const carriedCycle = input.carried?.inFlight?.cycle;
  const shouldContinue = () => {
    const { continueAsNewSuggested, historyLength } = workflowInfo();
    const long = continueAsNewSuggested || historyLength >= historyLimit;
    return long && (fw.inFlight === null || historyLength >= hardHistoryLimit);
  };

  for (;;) {
    const wake = fw.wakeAt(Date.now());
    const specSeen = fw.spec;
    // The predicate runs after every activation (each signal, update, timer or child result):
    // the one place that sees every change of state, so metrics are observed here.
    const woke = () => {
      metrics.observe(Date.now());
      return needsStart() || shouldContinue() || fw.wakeAt(Date.now()) !== wake || fw.spec !== specSeen;
    };
    showDetails(fw);
    const timedOut =
      wake === null
        ? (await condition(woke), false)
        : !(await condition(woke, Math.max(1, wake - Date.now()), {
            summary: flywheelTimerSummary(fw.status(), wake),
          }));
    if (timedOut) fw.apply({ type: 'tick' }, Date.now());
    if (fw.spec !== specSeen) describeInUi(fw.modelId, fw.spec, sa);
    // Continue-as-new before starting the next cycle, so a busy flywheel still gets a fresh
    // history at every cycle boundary; the new run starts the cycle that is due.
    if (shouldContinue()) {
      if (fw.inFlight && patched(CARRIED_CYCLE_TOLD_PATCH))
        await tellCycleToReport(fw, fw.inFlight.cycle !== carriedCycle);
      await condition(allHandlersFinished);
      log.info('continuing as new', { modelId: fw.modelId, historyLength: workflowInfo().historyLength });
      await continueAsNew<typeof modelFlywheel>({ modelId: fw.modelId, carried: fw.snapshot(), ...carryOptions });
    }
    if (needsStart()) await startCycle(fw, cycleOptions, sa, reports, input.options.cycleTaskQueue);
    metrics.observe(Date.now());
  }
}

async function startCycle(
  fw: Flywheel,
  cycleOptions: Pick<CycleInput, 'trainingTaskQueue' | 'codeVersion'>,
  sa: boolean,
  reports: CycleReportHandlers,
  cycleTaskQueue: string | undefined,
): Promise<void> {
  const running = fw.triggerState.running!;
  const trigger = running.batch;
  const startReason = fw.status().decisions.find((d) => d.action === 'start' && d.cycle === running.cycle)?.reason;
  const workflowId = cycleWorkflowId(fw.modelId, running.cycle);
  const spec = fw.spec;
  // Reports that arrive before startChild answers wait for the run id (signals can be handled before the start resolves).
  fw.cycleStarted(running.cycle, workflowId, trigger, Date.now(), true);
  showDetails(fw);
  if (sa)
    upsertSearchAttributes([
      { key: CtStage, value: 'cycle' },
      { key: CtTrigger, value: trigger.primary },
    ]);
  if (!spec) {
    finishWith(
      fw,
      running.cycle,
      workflowId,
      trigger.primary,
      'failed',
      'no model spec: start the flywheel with a spec',
      sa,
    );
    return;
  }
  try {
    const handle = await startChild(trainingCycle, {
      workflowId,
      // The cycle's result comes back as the child's completion, so it sends no report signal
      // unless this run continues as new first (tellCycleToReport). Only the input changes,
      // not a command: no patch, and running cycles started without it keep signalling.
      args: [{ modelId: fw.modelId, cycle: running.cycle, spec, trigger, ...cycleOptions, reportByResult: true }],
      // Continue-as-new must not kill a running cycle; it reports back by signal.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // Only a flywheel started with the option names a queue (the command is unchanged for
      // every run started without it, so no patch: a run's options never change mid-history).
      ...(cycleTaskQueue ? { taskQueue: cycleTaskQueue } : {}),
      // Below the flywheels' default, so a backlog of cycle tasks never delays control work
      // (task-priority.ts). Priority is not part of replay's command check: no patch needed,
      // the recorded histories of test/replay (started without it) replay unchanged.
      priority: { priorityKey: CYCLE_PRIORITY_KEY },
      ...(sa
        ? {
            typedSearchAttributes: [
              { key: CtModelId, value: fw.modelId },
              { key: CtTrigger, value: trigger.primary },
              { key: CtStage, value: 'starting' },
            ],
          }
        : {}),
      staticSummary: `cycle ${running.cycle} of ${fw.modelId}: ${startReason ?? trigger.primary}`,
    });
    const runId = handle.firstExecutionRunId;
    fw.childStarted(running.cycle, runId);
    reports.runIdKnown();
    handle.result().then(
      (report) => {
        if (fw.inFlight?.cycle === report.cycle)
          fw.cycleFinished(
            {
              cycle: report.cycle,
              workflowId,
              runId,
              outcome: report.outcome,
              // Cut as a report signal's reason is (CycleFinishedSchema): status carries it on.
              reason: report.reason.slice(0, 4000),
              trigger: trigger.primary,
              startedAt: report.startedAt,
              endedAt: report.endedAt,
              ...(report.candidateVersion !== undefined ? { candidateVersion: report.candidateVersion } : {}),
              ...(report.resumedFromCheckpoint !== undefined
                ? { resumedFromCheckpoint: report.resumedFromCheckpoint }
                : {}),
            },
            Date.now(),
            report.championVersionBefore,
          );
        idleStage(fw, sa);
      },
      (err: unknown) => {
        const outcome = isCancellation(err) ? 'cancelled' : 'failed';
        finishWith(
          fw,
          running.cycle,
          workflowId,
          trigger.primary,
          outcome,
          `cycle ${outcome}: ${failureMessage(err)}`,
          sa,
          runId,
        );
      },
    );
  } catch (err) {
    // e.g. a workflow with this id already exists from an earlier run of this flywheel.
    finishWith(
      fw,
      running.cycle,
      workflowId,
      trigger.primary,
      'failed',
      `could not start the cycle: ${failureMessage(err)}`,
      sa,
    );
    reports.runIdKnown();
  }
}

/**
 * Marks flywheel runs that, before continuing as new with a cycle in flight, tell the cycle
 * to report by signal (the next run is not its parent and gets no result). Older histories
 * continued without the signal: their cycles always reported by signal.
 */
export const CARRIED_CYCLE_TOLD_PATCH = 'flywheel-tells-carried-cycle-to-report';

/**
 * Tells the cycle in flight to send `cycleFinished` by signal, because this run is about to
 * continue as new. A cycle that already ended cannot be told: when this run started it, its
 * result reaches this run, so wait for it and carry nothing; one carried from an earlier
 * run was told by that run.
 */
async function tellCycleToReport(fw: Flywheel, startedHere: boolean): Promise<void> {
  const { workflowId, runId } = fw.inFlight!;
  try {
    await getExternalWorkflowHandle(workflowId, runId).signal(reportBySignalSignal.definition, {
      flywheelRunId: workflowInfo().runId,
    });
  } catch (err) {
    log.info('the cycle in flight could not be told to report by signal', { workflowId, error: String(err) });
    if (startedHere) await condition(() => fw.inFlight?.workflowId !== workflowId);
  }
}

function finishWith(
  fw: Flywheel,
  cycle: number,
  workflowId: string,
  trigger: CycleSummary['trigger'],
  outcome: CycleSummary['outcome'],
  reason: string,
  sa: boolean,
  runId?: string,
): void {
  if (fw.inFlight?.cycle !== cycle) return;
  log.warn('cycle ended without a report', { workflowId, outcome, reason });
  const now = Date.now();
  fw.cycleFinished(
    {
      cycle,
      workflowId,
      ...(runId ? { runId } : {}),
      outcome,
      reason,
      trigger,
      startedAt: fw.inFlight.startedAt,
      endedAt: now,
    },
    now,
  );
  idleStage(fw, sa);
}

/** Start-input problems go to `status` and the log: a misconfiguration holds every trigger until a spec repairs it. */
function reportInputProblems(fw: Flywheel, input: ParsedFlywheelInput): void {
  const now = Date.now();
  for (const problem of input.dropped) {
    log.warn('ignored part of the flywheel start input', { modelId: fw.modelId, problem });
    fw.rejectInput('start', problem, now);
  }
  if (input.misconfigured) {
    log.error('flywheel misconfigured: it holds triggers until updatePolicy brings a valid spec', {
      modelId: fw.modelId,
      error: input.misconfigured,
    });
    fw.rejectInput('start', input.misconfigured, now);
    fw.setMisconfigured(input.misconfigured, now);
  }
}

/** The UI's Current Details: what the flywheel waits for (not a command: the UI reads it by query). */
function showDetails(fw: Flywheel): void {
  setCurrentDetails(flywheelDetails(fw.status(), fw.wakeAt(Date.now())));
}

function idleStage(fw: Flywheel, sa: boolean): void {
  showDetails(fw);
  if (sa && fw.inFlight === null) upsertSearchAttributes([{ key: CtStage, value: 'idle' }]);
}

/** Search attributes and memo that make the flywheel findable and readable in the UI. */
function describeInUi(modelId: string, spec: ModelSpec | null, sa: boolean): void {
  const current = workflowInfo().typedSearchAttributes;
  if (sa && current.get(CtModelId) !== modelId)
    upsertSearchAttributes([
      { key: CtModelId, value: modelId },
      { key: CtStage, value: 'idle' },
    ]);
  if (spec) {
    upsertMemo({
      spec: {
        id: spec.id,
        task: spec.task,
        trainer: spec.trainer.kind,
        primaryMetric: spec.gate.primaryMetric,
        approval: spec.approval.mode,
        rollout: spec.rollout.strategy,
        description: spec.description ?? null,
      },
    });
  }
}
