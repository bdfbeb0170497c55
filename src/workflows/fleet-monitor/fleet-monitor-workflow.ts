import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import {
  checkModelNowSignal,
  FLEET_MONITOR_WORKFLOW,
  FleetMonitorInputSchema,
  fleetShardStatusQuery,
  modelMonitorQuery,
  registerMonitoredModelSignal,
  sweepPlanQuery,
  unregisterMonitoredModelSignal,
  updateModelMonitorSignal,
  type FleetMonitorActivities,
  type FleetMonitorInput,
} from '../../contracts/fleet-monitor.js';
import { MonitorFloorsSchema, MonitorSettingsSchema } from '../../contracts/production-monitor.js';
import { PERMANENT } from '../shared/activity-options.js';
import { parseStartInput } from '../shared/parse-input.js';
import { parsePayload, parseSignal } from '../shared/parse-payload.js';
import { FleetShardState, ShardCarriedSchema, type ShardCarried } from './fleet-shard-state.js';

/**
 * A sweep reads SQLite and one profile per due model, a few ms each, and heartbeats as it
 * goes. A failed sweep is skipped, not fatal: the next boundary sweeps again.
 */
const sweepActivity: ActivityOptions = {
  startToCloseTimeout: '10m',
  heartbeatTimeout: '1m',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    maximumAttempts: 3,
    nonRetryableErrorTypes: PERMANENT,
  },
};
const { sweepMonitorShard } = proxyActivities<FleetMonitorActivities>(sweepActivity);

/** About 11 events per sweep: continue-as-new well before the 4,096-event suggestion. */
const SWEEPS_PER_RUN = 300;

/**
 * One shard of the fleet monitor: watches every model placed on it (`hash(modelId) %
 * shards`). It sleeps on one durable timer until the next model falls due (each model keeps
 * its own interval; models with the same interval share the sweep), then runs one
 * `sweepMonitorShard` activity that checks every due model and signals only the flywheels
 * with findings. The activity reads settings through the `sweepPlan` query and returns only
 * news, so a healthy model costs no history of its own: the shard's ~11 events per sweep are
 * shared by all its models. Settings, `checkNow` and findings are per model, as they were
 * with one monitor workflow per model.
 */
export async function fleetMonitor(raw: FleetMonitorInput): Promise<void> {
  const input = parseStartInput(FleetMonitorInputSchema, raw, FLEET_MONITOR_WORKFLOW);
  const carried = input.carried
    ? (parseStartInput(ShardCarriedSchema, input.carried, FLEET_MONITOR_WORKFLOW) as unknown as ShardCarried)
    : undefined;
  const state = new FleetShardState(workflowInfo().workflowId, Date.now(), carried);
  const reject = (): void => state.rejected();
  let wake = false;

  setHandler(sweepPlanQuery.definition, () => state.plan());
  setHandler(modelMonitorQuery.definition, (modelId) => state.modelStatus(String(modelId)));
  setHandler(fleetShardStatusQuery.definition, () => state.status());
  setHandler(registerMonitoredModelSignal.definition, (payload) => {
    const r = parseSignal(registerMonitoredModelSignal, payload, reject);
    const settings = r && parsePayload(MonitorSettingsSchema, r.settings, registerMonitoredModelSignal.name, reject);
    if (r && settings && state.register(r, settings, Date.now())) wake = true;
  });
  setHandler(updateModelMonitorSignal.definition, (payload) => {
    const u = parseSignal(updateModelMonitorSignal, payload, reject);
    const merged = u && state.mergedSettings(u.modelId, u);
    const settings = merged && parsePayload(MonitorSettingsSchema, merged, updateModelMonitorSignal.name, reject);
    const floors = u?.floors && parsePayload(MonitorFloorsSchema, u.floors, updateModelMonitorSignal.name, reject);
    if (!u || !settings || (u.floors && !floors)) return;
    state.update(u.modelId, settings, floors);
    // A settings change re-checks the model at once, as the per-model monitor did.
    state.requestCheck(u.modelId, Date.now());
    wake = true;
  });
  setHandler(checkModelNowSignal.definition, (payload) => {
    const c = parseSignal(checkModelNowSignal, payload, reject);
    if (c && state.requestCheck(c.modelId, Date.now())) wake = true;
  });
  setHandler(unregisterMonitoredModelSignal.definition, (payload) => {
    const u = parseSignal(unregisterMonitoredModelSignal, payload, reject);
    if (!u) return;
    state.unregister(u.modelId);
    log.info('stopped watching a model', { modelId: u.modelId, reason: u.reason });
    wake = true;
  });

  for (let sweeps = 0; sweeps < SWEEPS_PER_RUN && !workflowInfo().continueAsNewSuggested;) {
    const next = state.nextSweepAt();
    if (next === null) await condition(() => wake);
    else if (next > Date.now()) await condition(() => wake, next - Date.now());
    wake = false;
    const fromMs = state.lastSweepAtMs;
    const toMs = Date.now();
    if (!state.anyDue(fromMs, toMs)) continue;
    sweeps++;
    try {
      const result = await sweepMonitorShard({ shardWorkflowId: state.shardKey, fromMs, toMs });
      state.applySweep(result, fromMs, toMs);
    } catch (error) {
      state.sweepFailed(toMs);
      log.warn('fleet monitor sweep failed; sweeping again at the next boundary', {
        shard: state.shardKey,
        error: (error as Error).message,
      });
    }
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof fleetMonitor>({ ...input, carried: state.carry() as unknown as Record<string, unknown> });
}
