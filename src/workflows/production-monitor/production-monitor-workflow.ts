import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
  ApplicationFailure,
  type ActivityOptions,
} from '@temporalio/workflow';
import { FailureType } from '../../domain/failure-types.js';
import { CtModelId } from '../../domain/search-attributes.js';
import type { MonitorActivities } from '../../activities/monitor-activities.js';
import type { MonitorFinding } from '../../domain/monitor/monitor-finding.js';
import { flywheelWorkflowId } from '../../contracts/model-flywheel.js';
import {
  checkNowSignal,
  findingsQuery,
  inspectionInput,
  MonitorFloorsSchema,
  MonitorSettingsSchema,
  monitorSignals,
  PRODUCTION_MONITOR_WORKFLOW,
  updateMonitorSettingsSignal,
  type MonitorCarried,
  type MonitorFloors,
  type MonitorSettings,
  type ProductionMonitorInput,
} from '../../contracts/production-monitor.js';
import { MonitorState } from './monitor-state.js';
import { MonitorInputShapeSchema } from '../../domain/flywheel/workflow-inputs.js';
import { PERMANENT } from '../shared/activity-options.js';
import { parseStartInput } from '../shared/parse-input.js';

/** A check reads SQLite and a profile: seconds. A failed check is skipped, not fatal. */
const checkActivity: ActivityOptions = {
  startToCloseTimeout: '2m',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    maximumAttempts: 3,
    nonRetryableErrorTypes: PERMANENT,
  },
};
const act = proxyActivities<MonitorActivities>(checkActivity);

function parseInput(input: ProductionMonitorInput): { settings: MonitorSettings; floors: MonitorFloors } {
  parseStartInput(MonitorInputShapeSchema, input, PRODUCTION_MONITOR_WORKFLOW); // null or no model id: a named failure, not a TypeError
  const settings = MonitorSettingsSchema.safeParse(input.settings ?? {});
  const floors = MonitorFloorsSchema.safeParse(input.floors);
  if (!settings.success || !floors.success) {
    const issues = [...(settings.error?.issues ?? []), ...(floors.error?.issues ?? [])].map(
      (i) => `${i.path.join('.')}: ${i.message}`,
    );
    throw ApplicationFailure.create({
      type: FailureType.MonitorInputInvalid,
      nonRetryable: true,
      message: `bad production monitor input: ${issues.join('; ')}`,
    });
  }
  return { settings: settings.data, floors: floors.data };
}

/**
 * Watches one model in production. Every `intervalMs` (a durable timer) it runs one
 * check activity — drift of the recent prediction-log window against the serving
 * champion's reference profile, live accuracy over the window whose labels have had time
 * to arrive — and sends the flywheel `driftAlert` / `performanceReport` when a trigger
 * floor is crossed. Findings are in the activity results, the `findings` query and the
 * memo. Continues as new every `checksPerRun` checks.
 */
export async function productionMonitor(input: ProductionMonitorInput): Promise<void> {
  let { settings, floors } = parseInput(input);
  const state = new MonitorState(input.carried);
  let wake = false;
  let rejected = 0;
  upsertSearchAttributes([{ key: CtModelId, value: input.modelId }]);

  setHandler(findingsQuery.definition, () => state.status(input.modelId, settings, floors, rejected));
  setHandler(checkNowSignal.definition, () => void (wake = true));
  setHandler(updateMonitorSettingsSignal.definition, (update) => {
    const next = MonitorSettingsSchema.safeParse({ ...input.settings, ...update?.settings });
    const nextFloors = update?.floors
      ? MonitorFloorsSchema.safeParse(update.floors)
      : { success: true as const, data: floors };
    if (!next.success || !nextFloors.success) {
      rejected++;
      log.warn('dropped a malformed signal payload', { signal: updateMonitorSettingsSignal.name, update });
      return;
    }
    input = { ...input, settings: { ...input.settings, ...update?.settings } };
    settings = next.data;
    floors = nextFloors.data;
    wake = true;
  });

  for (let run = 0; run < settings.checksPerRun && !workflowInfo().continueAsNewSuggested; run++) {
    const finding = await check(input, settings, floors, state);
    if (finding) await sendSignals(finding, state);
    upsertMemo({ lastFinding: finding?.summary ?? 'check failed', checks: state.checks });
    await condition(() => wake, settings.intervalMs);
    wake = false;
  }
  await condition(allHandlersFinished);
  const carried: MonitorCarried = state.carry();
  await continueAsNew<typeof productionMonitor>({ ...input, floors, carried });
}

async function check(
  input: ProductionMonitorInput,
  settings: MonitorSettings,
  floors: MonitorFloors,
  state: MonitorState,
): Promise<MonitorFinding | null> {
  const { modelId } = input;
  try {
    const finding = await act.inspectProduction.executeWithOptions(
      { ...checkActivity, summary: `check drift and live accuracy of ${modelId}` },
      // Only the activity's input is built elsewhere, not the command sequence: older histories replay.
      [inspectionInput(modelId, settings, floors, state.lastSignals, input.drift)],
    );
    state.record(finding);
    return finding;
  } catch (error) {
    state.failed();
    log.warn('production check failed; trying again at the next interval', {
      modelId,
      error: (error as Error).message,
    });
    return null;
  }
}

/** Signals the flywheel; a flywheel that is not running is noted, not fatal (the monitor keeps watching). */
async function sendSignals(finding: MonitorFinding, state: MonitorState): Promise<void> {
  const flywheel = getExternalWorkflowHandle(flywheelWorkflowId(finding.modelId));
  for (const s of finding.signals) {
    try {
      await flywheel.signal(monitorSignals[s.signal].definition, s.payload);
      state.signalled(s.signal, finding.atMs);
      log.info('signalled the flywheel', { modelId: finding.modelId, signal: s.signal, score: s.payload.score });
    } catch (error) {
      state.signalFailed(finding, s.signal, (error as Error).message);
      log.warn('could not signal the flywheel', {
        modelId: finding.modelId,
        signal: s.signal,
        error: (error as Error).message,
      });
    }
  }
}
