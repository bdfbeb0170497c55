import { z } from 'zod';
import type { MonitorFinding, MonitorSignalName } from '../domain/monitor/monitor-finding.js';
import { monitorDriftSettingsSchema, type MonitorDriftSettings } from '../domain/policies/validation-policy.js';
import { modelIdSchema } from '../domain/records/ids.js';
import { argQueryMessage, queryMessage, signalMessage } from './message.js';
import {
  MonitorFloorsSchema,
  MonitorSettingsSchema,
  UpdateMonitorSettingsSchema,
  type MonitorFloors,
  type MonitorSettings,
  type MonitorStatus,
} from './production-monitor.js';

/** Workflow type of one fleet monitor shard: watches every model placed on it, one sweep per due interval. */
export const FLEET_MONITOR_WORKFLOW = 'fleetMonitor';

/**
 * Shards per task queue. A shard's cost is fixed per sweep (about 11 history events) and its
 * state grows with its models (about 1 KB each, carried across continue-as-new, 2 MB payload
 * limit): 4 shards keep an idle model far under 100 events/day from ~150 models up and hold
 * ~1,500 models each. Changing it moves models: re-run `flywheel start` for each.
 */
export const DEFAULT_MONITOR_SHARDS = 4;

/**
 * `monitor-fleet:<taskQueue>:<k>-of-<n>`: the shard of the flywheels on one task queue (tests
 * and separate fleets on one namespace never share a shard).
 */
export const fleetMonitorWorkflowId = (taskQueue: string, shard: number, shards: number): string =>
  `monitor-fleet:${taskQueue}:${shard}-of-${shards}`;

const count = z.number().int().min(0);
const epochMs = z.number().int().min(0);
const LastSignalsSchema = z.object({ driftAlert: epochMs.optional(), performanceReport: epochMs.optional() }).strict();
const SignalsSentSchema = z.object({ driftAlert: count, performanceReport: count }).strict();

/**
 * Puts a model on its shard (signal-with-start from FlywheelClient.startMonitor). A model
 * already on the shard keeps its settings unless `replace` is set. `lastSignals` and
 * `signalsSent` carry what a per-model monitor had sent when it is migrated.
 */
export const RegisterMonitoredModelSchema = z
  .object({
    modelId: modelIdSchema,
    floors: MonitorFloorsSchema,
    settings: MonitorSettingsSchema.partial().default({}),
    drift: monitorDriftSettingsSchema.optional(),
    replace: z.boolean().default(false),
    lastSignals: LastSignalsSchema.optional(),
    signalsSent: SignalsSentSchema.optional(),
  })
  .strict();
export const registerMonitoredModelSignal = signalMessage('registerMonitoredModel', RegisterMonitoredModelSchema);

/** `updateMonitorSettings` of one model of the shard: settings merged into its current ones, floors replaced. */
export const UpdateModelMonitorSchema = UpdateMonitorSettingsSchema.extend({ modelId: modelIdSchema }).strict();
export const updateModelMonitorSignal = signalMessage('updateModelMonitor', UpdateModelMonitorSchema);

/** Checks one model at the next sweep, which starts now. */
export const checkModelNowSignal = signalMessage('checkModelNow', z.object({ modelId: modelIdSchema }).strict());

/** Takes a model off the shard (`flywheel stop`, a retired model). Its findings are forgotten. */
export const unregisterMonitoredModelSignal = signalMessage(
  'unregisterMonitoredModel',
  z.object({ modelId: modelIdSchema, reason: z.string().max(500).optional() }).strict(),
);

/** One model as the sweep activity needs it: what to check, how, and what was said last. */
export interface SweepPlanEntry {
  modelId: string;
  settings: MonitorSettings;
  floors: MonitorFloors;
  drift?: MonitorDriftSettings;
  /** A `checkNow` or a new registration not served by a sweep yet. */
  requestedAtMs?: number;
  /** verdictKey of the latest kept finding (domain/monitor/fleet-cadence.ts). */
  verdict?: string;
  lastSignals: { [K in MonitorSignalName]?: number };
}

export interface SweepPlan {
  shardKey: string;
  entries: SweepPlanEntry[];
}
/** What the sweep activity reads from its shard at the start of a sweep (a query: no history). */
export const sweepPlanQuery = queryMessage<SweepPlan>()('sweepPlan');

/** One model's monitor as the shard holds it: the per-model monitor's `findings` answer, plus where and when. */
export interface ModelMonitorStatus extends MonitorStatus {
  shardWorkflowId: string;
  /** When the shard last swept (whether this model was due or not). */
  lastSweepAtMs: number | null;
  lastCheckedAtMs: number | null;
}
export const modelMonitorQuery = argQueryMessage<ModelMonitorStatus | null, string>()('modelMonitor');

export interface FleetShardStatus {
  shardWorkflowId: string;
  models: number;
  sweeps: number;
  failedSweeps: number;
  lastSweep: SweepSummary | null;
  rejectedInputs: number;
}
export const fleetShardStatusQuery = queryMessage<FleetShardStatus>()('fleetShardStatus');

export interface SweepSummary {
  atMs: number;
  checked: number;
  failed: number;
  reported: number;
  signalled: number;
  durationMs: number;
}

/** Input of the sweep activity: which shard, and the span whose check boundaries it serves. */
export interface SweepShardInput {
  shardWorkflowId: string;
  fromMs: number;
  toMs: number;
}

/** A flywheel signal the sweep sent (or failed to send). */
export interface SweepDelivery {
  modelId: string;
  signal: MonitorSignalName;
  atMs: number;
  error?: string;
}

/**
 * What a sweep returns into the shard's history: counts, plus only the findings that say
 * something new (verdict changed, signal sent) and the checks that failed. A healthy model
 * checked again adds nothing here.
 */
export interface SweepShardResult {
  checked: number;
  failures: Array<{ modelId: string; error: string }>;
  reports: MonitorFinding[];
  deliveries: SweepDelivery[];
  durationMs: number;
}

export interface FleetMonitorActivities {
  sweepMonitorShard(input: SweepShardInput): Promise<SweepShardResult>;
}

export const FleetMonitorInputSchema = z
  .object({
    taskQueue: z.string().min(1).max(200),
    shard: count,
    shards: z.number().int().min(1).max(1024),
    /** Set by the workflow itself on continue-as-new; callers leave it out. */
    carried: z.object({}).passthrough().optional(),
  })
  .strict()
  .refine((i) => i.shard < i.shards, { message: 'shard must be below shards', path: ['shard'] });
export type FleetMonitorInput = z.input<typeof FleetMonitorInputSchema>;
export type FleetMonitorWorkflow = (input: FleetMonitorInput) => Promise<void>;
