import {
  WorkflowNotFoundError,
  type Client,
  type WorkflowHandle,
  type WorkflowHandleWithSignaledRunId,
} from '@temporalio/client';
import type { z } from 'zod';
import type { SignalDefinition } from '@temporalio/common';
import {
  flywheelWorkflowId,
  MODEL_FLYWHEEL_WORKFLOW,
  pauseSignal,
  resumeSignal,
  statusQuery,
  updatePolicySignal,
  updatePolicyUpdate,
  type FlywheelInput,
  type FlywheelOptions,
  type FlywheelSignal,
  type ModelFlywheelWorkflow,
  type PolicyChange,
  type PolicyUpdatePayload,
} from '../contracts/model-flywheel.js';
import {
  checkModelNowSignal,
  DEFAULT_MONITOR_SHARDS,
  FLEET_MONITOR_WORKFLOW,
  fleetMonitorWorkflowId,
  modelMonitorQuery,
  registerMonitoredModelSignal,
  unregisterMonitoredModelSignal,
  updateModelMonitorSignal,
  type FleetMonitorWorkflow,
  type ModelMonitorStatus,
} from '../contracts/fleet-monitor.js';
import {
  checkNowSignal,
  findingsQuery,
  monitorWorkflowId,
  updateMonitorSettingsSignal,
  type MonitorStatus,
  type ProductionMonitorInput,
} from '../contracts/production-monitor.js';
import { shardOf } from '../domain/monitor/fleet-cadence.js';
import {
  abortRolloutSignal,
  promoteNowSignal,
  rolloutStatusQuery,
  rolloutWorkflowId,
  type RolloutStatus,
} from '../contracts/rollout.js';
import {
  approveUpdate,
  cycleStatusQuery,
  rejectUpdate,
  type ApprovalAnswer,
  type CycleStatus,
} from '../contracts/training-cycle.js';
import type { FlywheelStatus } from '../domain/flywheel/flywheel-state.js';
import type { ModelSpec } from '../domain/model-spec/model-spec.js';
import { CtModelId, CtStage } from '../domain/search-attributes.js';
import type { ApprovalDecision, PauseRequest, RolloutCommand } from '../domain/signals.js';
import { TaskQueue } from '../domain/task-queues.js';
import {
  flywheelListQuery,
  flywheelListRow,
  type FlywheelListFilter,
  type FlywheelListRow,
} from './flywheel-listing.js';
import { parseSignalPayload } from './message-refused.js';
import { pendingActivitiesOf, type PendingActivity } from './pending-work.js';

export interface FlywheelClientConfig {
  /** Task queue of the orchestration workers, where flywheels and monitors run (default ct-orchestration). */
  taskQueue?: string;
  /** Fleet monitor shards per task queue (default DEFAULT_MONITOR_SHARDS); every caller of one fleet must agree. */
  monitorShards?: number;
  /** Options of every flywheel this client starts (its cycles' training queue, code version …); `start` can add more. */
  flywheelOptions?: FlywheelOptions;
}

/** What `send` starts when the flywheel is not running yet: without a spec it records triggers and waits for one. */
export interface StartIfMissing {
  spec?: ModelSpec;
}

type FlywheelHandle = WorkflowHandleWithSignaledRunId<ModelFlywheelWorkflow>;

/**
 * The one client of the flywheel workflows: the CLI, the alert webhook, the schedule
 * activity, the monitor start, the demo and the tests all start, signal, update and query
 * through it. It holds no business logic: it names workflows by their contract, parses every
 * signal payload with its message's schema before sending (a payload the workflow would drop
 * is refused with the field named: {@link FlywheelMessageRefused}), and is the one place that
 * signals-with-start a flywheel. Updates are not pre-parsed: their validators answer.
 */
export class FlywheelClient {
  readonly taskQueue: string;
  readonly monitorShards: number;

  constructor(
    readonly client: Client,
    private readonly config: FlywheelClientConfig = {},
  ) {
    this.taskQueue = config.taskQueue ?? TaskQueue.orchestration;
    this.monitorShards = config.monitorShards ?? DEFAULT_MONITOR_SHARDS;
  }

  /** Handle of the model's flywheel (`flywheel:<modelId>`). */
  flywheel(modelId: string): WorkflowHandle<ModelFlywheelWorkflow> {
    return this.client.workflow.getHandle<ModelFlywheelWorkflow>(flywheelWorkflowId(modelId));
  }

  /**
   * Starts the model's flywheel, or gives the running one this spec: one signal-with-start
   * of `updatePolicy` carrying the spec, so calling it twice is harmless.
   */
  start(spec: ModelSpec, options: FlywheelOptions = {}): Promise<FlywheelHandle> {
    return this.send(
      updatePolicySignal,
      spec.id,
      { spec: spec as unknown as Record<string, unknown> },
      { spec },
      options,
    );
  }

  /**
   * Sends a flywheel signal, starting the flywheel first (signal-with-start) if it is not
   * running: either way the signal is in its history once this returns. The payload is parsed
   * with the message's schema first; a bad one is refused and nothing is started or sent.
   */
  async send<M extends FlywheelSignal>(
    message: M,
    modelId: string,
    payload: z.input<M['schema']>,
    start: StartIfMissing = {},
    options: FlywheelOptions = {},
  ): Promise<FlywheelHandle> {
    // What the workflow parses back to the same value (defaults filled, durations in ms).
    const parsed = parseSignalPayload<M['schema']>(message, payload) as z.input<M['schema']>;
    const flywheelOptions = { ...this.config.flywheelOptions, ...options };
    const input: FlywheelInput = {
      modelId,
      ...(start.spec ? { spec: start.spec } : {}),
      ...(Object.keys(flywheelOptions).length > 0 ? { options: flywheelOptions } : {}),
    };
    return this.client.workflow.signalWithStart<ModelFlywheelWorkflow, [z.input<M['schema']>]>(
      MODEL_FLYWHEEL_WORKFLOW,
      {
        workflowId: flywheelWorkflowId(modelId),
        taskQueue: this.taskQueue,
        args: [input],
        signal: message.definition as SignalDefinition<[z.input<M['schema']>]>,
        signalArgs: [parsed],
        typedSearchAttributes: [
          { key: CtModelId, value: modelId },
          { key: CtStage, value: 'idle' },
        ],
        staticSummary: `continuous training of ${modelId}`,
      },
    );
  }

  /** Signals a running flywheel (never starts one), after the same parse as {@link send}. */
  async signal<M extends FlywheelSignal>(message: M, modelId: string, payload: z.input<M['schema']>): Promise<void> {
    const definition: SignalDefinition<[z.input<M['schema']>]> = message.definition;
    await this.flywheel(modelId).signal(
      definition,
      parseSignalPayload<M['schema']>(message, payload) as z.input<M['schema']>,
    );
  }

  /** Triggers are recorded but start nothing until {@link resume}; a cycle in flight continues. */
  pause(modelId: string, request: PauseRequest = {}): Promise<void> {
    return this.signal(pauseSignal, modelId, request);
  }

  resume(modelId: string, request: PauseRequest = {}): Promise<void> {
    return this.signal(resumeSignal, modelId, request);
  }

  /** Changes the policy and/or spec; the flywheel's validator refuses a bad change (naming the field) before it enters history. */
  updatePolicy(modelId: string, payload: PolicyUpdatePayload): Promise<PolicyChange> {
    return this.flywheel(modelId).executeUpdate(updatePolicyUpdate.definition, { args: [payload] });
  }

  /**
   * The flywheel's status. With a cycle in flight, its step and candidate come from the
   * cycle itself (its status query), read now: cycles report to the flywheel once, when they
   * end, not at every step. `liveCycle: false` skips that read (the gateway wants the spec only).
   */
  async status(modelId: string, opts: { liveCycle?: boolean } = {}): Promise<FlywheelStatus> {
    const status = await this.flywheel(modelId).query(statusQuery.definition);
    const inFlight = status.inFlight;
    if (opts.liveCycle === false || !inFlight) return status;
    const live = await this.cycleStatus(inFlight.workflowId).catch(() => undefined);
    // A cycle that just ended (or is not running yet) keeps what the flywheel recorded.
    if (!live || live.step === 'done') return status;
    return {
      ...status,
      inFlight: {
        ...inFlight,
        step: live.step,
        ...(live.candidateVersion !== undefined ? { candidateVersion: live.candidateVersion } : {}),
      },
    };
  }

  /** Approves the candidate of the cycle named in the decision; the cycle's validator refuses a wrong cycle, approver or a second answer. */
  approve(decision: ApprovalDecision): Promise<ApprovalAnswer> {
    return this.client.workflow
      .getHandle(decision.cycleId)
      .executeUpdate(approveUpdate.definition, { args: [decision] });
  }

  reject(decision: ApprovalDecision): Promise<ApprovalAnswer> {
    return this.client.workflow
      .getHandle(decision.cycleId)
      .executeUpdate(rejectUpdate.definition, { args: [decision] });
  }

  cycleStatus(cycleId: string): Promise<CycleStatus> {
    return this.client.workflow.getHandle(cycleId).query(cycleStatusQuery.definition);
  }

  /** Cancels a training cycle: it restores the champion's traffic, records the candidate as cancelled and reports `cancelled` to its flywheel. */
  async cancelCycle(cycleId: string): Promise<void> {
    await this.client.workflow.getHandle(cycleId).cancel();
  }

  /** Cancels the model's flywheel (pending triggers are dropped; a cycle it started keeps running: cancel it first). */
  async cancelFlywheel(modelId: string): Promise<void> {
    await this.flywheel(modelId).cancel();
  }

  /** Flywheels found by a visibility query (search attributes and memo only: no workflow is queried). */
  async list(filter: FlywheelListFilter = {}, limit = 1000): Promise<FlywheelListRow[]> {
    const rows: FlywheelListRow[] = [];
    for await (const info of this.client.workflow.list({ query: flywheelListQuery(filter) })) {
      rows.push(flywheelListRow(info));
      if (rows.length >= limit) break;
    }
    return rows;
  }

  /** The activities a workflow (a cycle, a rollout) waits on, with their attempt count and last failure. */
  async pendingActivities(workflowId: string): Promise<PendingActivity[]> {
    return pendingActivitiesOf(await this.client.workflow.getHandle(workflowId).describe());
  }

  /** Stops the rollout of the cycle's candidate and restores the champion's traffic. */
  async abortRollout(cycleId: string, command: RolloutCommand): Promise<void> {
    await this.client.workflow
      .getHandle(rolloutWorkflowId(cycleId))
      .signal(abortRolloutSignal.definition, parseSignalPayload(abortRolloutSignal, command));
  }

  /** Skips the remaining rollout phases of the cycle's candidate and promotes it. */
  async promoteNow(cycleId: string, command: RolloutCommand): Promise<void> {
    await this.client.workflow
      .getHandle(rolloutWorkflowId(cycleId))
      .signal(promoteNowSignal.definition, parseSignalPayload(promoteNowSignal, command));
  }

  rolloutStatus(cycleId: string): Promise<RolloutStatus> {
    return this.client.workflow.getHandle(rolloutWorkflowId(cycleId)).query(rolloutStatusQuery.definition);
  }

  /** The fleet monitor shard that watches a model (`monitor-fleet:<taskQueue>:<k>-of-<n>`). */
  monitorShardId(modelId: string): string {
    return fleetMonitorWorkflowId(this.taskQueue, shardOf(modelId, this.monitorShards), this.monitorShards);
  }

  /**
   * Starts watching a model in production: puts it on its fleet monitor shard (signal-with-start
   * of the shard; checked at once, then every `settings.intervalMs`). Idempotent: a model already
   * watched keeps its settings; change them with {@link updateMonitorSettings}. Needs no worker
   * to be running (nothing is queried), like starting a flywheel.
   * A per-model monitor still running from before the fleet monitor (`flywheel:<id>:monitor`)
   * hands over its settings, floors and signal times and is stopped (`migratedFrom`).
   */
  async startMonitor(input: ProductionMonitorInput): Promise<{ workflowId: string; migratedFrom?: string }> {
    const { modelId } = input;
    const legacy = await this.legacyMonitorStatus(modelId);
    const registration = parseSignalPayload(registerMonitoredModelSignal, {
      modelId,
      floors: legacy?.floors ?? input.floors,
      settings: legacy?.settings ?? input.settings ?? {},
      ...(input.drift ? { drift: input.drift } : {}),
      ...(legacy ? { replace: true, lastSignals: legacy.lastSignals, signalsSent: legacy.signalsSent } : {}),
    });
    const workflowId = this.monitorShardId(modelId);
    const shard = shardOf(modelId, this.monitorShards);
    await this.client.workflow.signalWithStart<FleetMonitorWorkflow, [typeof registration]>(FLEET_MONITOR_WORKFLOW, {
      workflowId,
      taskQueue: this.taskQueue,
      args: [{ taskQueue: this.taskQueue, shard, shards: this.monitorShards }],
      signal: registerMonitoredModelSignal.definition as SignalDefinition<[typeof registration]>,
      signalArgs: [registration],
      staticSummary: `fleet monitor shard ${shard} of ${this.monitorShards} (${this.taskQueue}): drift and live accuracy → flywheel signals`,
    });
    if (legacy) {
      await this.flywheelMonitorHandle(modelId).terminate(`monitoring moved to the fleet monitor ${workflowId}`);
      return { workflowId, migratedFrom: monitorWorkflowId(modelId) };
    }
    return { workflowId };
  }

  /**
   * Stops watching a model: takes it off its fleet monitor shard, and cancels a per-model
   * monitor still running from before the fleet monitor (it ends between two checks). The one
   * call `flywheel stop` makes to stop a model's monitoring; needs no worker. `wasRunning: false`
   * when neither the model's shard nor a per-model monitor runs; `workflowId` names the shard
   * (else the per-model monitor).
   */
  async stopMonitor(
    modelId: string,
    reason = 'monitoring stopped',
  ): Promise<{ workflowId: string; wasRunning: boolean }> {
    const shardId = this.monitorShardId(modelId);
    // A describe, not a query: stopping needs no worker (a shard without the model ignores the signal).
    const onShard = await this.running(shardId);
    // The shard is shared by many models: it running says nothing about this one.
    const watched = onShard && (await this.shardMayWatch(modelId));
    if (onShard) {
      const payload = parseSignalPayload(unregisterMonitoredModelSignal, { modelId, reason });
      await this.client.workflow.getHandle(shardId).signal(unregisterMonitoredModelSignal.definition, payload);
    }
    const legacy = await this.legacyMonitorRunning(modelId);
    if (legacy) await this.flywheelMonitorHandle(modelId).cancel();
    return { workflowId: onShard || !legacy ? shardId : monitorWorkflowId(modelId), wasRunning: watched || legacy };
  }

  /**
   * Whether the running shard watches the model. Asked with a short deadline, because a query
   * needs a worker and stopping must not: with no answer it assumes yes (the signal is sent anyway).
   */
  private async shardMayWatch(modelId: string, deadlineMs = 3_000): Promise<boolean> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), deadlineMs);
    try {
      return (await this.client.withAbortSignal(deadline.signal, () => this.shardModelStatus(modelId))) !== null;
    } catch {
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  /** What the model's monitor found last, its settings and signals; throws when nothing watches the model. */
  async monitorFindings(modelId: string): Promise<MonitorStatus> {
    const status = (await this.shardModelStatus(modelId)) ?? (await this.legacyMonitorStatus(modelId));
    if (!status) throw new MonitorNotFoundError(modelId);
    return status;
  }

  /** The model's entry on its fleet monitor shard, or null when the shard does not watch it (or does not run). */
  async shardModelStatus(modelId: string): Promise<ModelMonitorStatus | null> {
    try {
      return await this.client.workflow
        .getHandle(this.monitorShardId(modelId))
        .query(modelMonitorQuery.definition, modelId);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  /** Checks the model at once instead of at its next interval boundary. */
  async checkNow(modelId: string): Promise<void> {
    if (await this.legacyMonitorRunning(modelId)) {
      await this.flywheelMonitorHandle(modelId).signal(checkNowSignal.definition);
      return;
    }
    await this.client.workflow
      .getHandle(this.monitorShardId(modelId))
      .signal(checkModelNowSignal.definition, parseSignalPayload(checkModelNowSignal, { modelId }));
  }

  /** Merges settings into the model's monitor settings (and/or replaces its floors), then checks it at once. */
  async updateMonitorSettings(
    modelId: string,
    update: z.input<typeof updateMonitorSettingsSignal.schema>,
  ): Promise<void> {
    if (await this.legacyMonitorRunning(modelId)) {
      const parsed = parseSignalPayload(updateMonitorSettingsSignal, update);
      await this.flywheelMonitorHandle(modelId).signal(updateMonitorSettingsSignal.definition, parsed);
      return;
    }
    const parsed = parseSignalPayload(updateModelMonitorSignal, { ...update, modelId });
    await this.client.workflow
      .getHandle(this.monitorShardId(modelId))
      .signal(updateModelMonitorSignal.definition, parsed);
  }

  private flywheelMonitorHandle(modelId: string): WorkflowHandle {
    return this.client.workflow.getHandle(monitorWorkflowId(modelId));
  }

  /** Whether a workflow runs (a describe: no worker needed). */
  private async running(workflowId: string): Promise<boolean> {
    try {
      return (await this.client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  /** Whether a per-model monitor from before the fleet monitor still runs. */
  private legacyMonitorRunning(modelId: string): Promise<boolean> {
    return this.running(monitorWorkflowId(modelId));
  }

  /** The findings of a per-model monitor from before the fleet monitor, when one still runs. */
  private async legacyMonitorStatus(modelId: string): Promise<MonitorStatus | null> {
    if (!(await this.legacyMonitorRunning(modelId))) return null;
    return this.flywheelMonitorHandle(modelId).query(findingsQuery.definition);
  }
}

/** No fleet shard and no per-model monitor watches the model. */
export class MonitorNotFoundError extends Error {
  override name = 'MonitorNotFoundError';
  constructor(readonly modelId: string) {
    super(`nothing monitors ${modelId}: start its monitor with \`flywheel start <spec>\``);
  }
}

export { FlywheelMessageRefused, type PayloadIssue } from './message-refused.js';
export type { FlywheelListFilter, FlywheelListRow } from './flywheel-listing.js';
export type { PendingActivity } from './pending-work.js';
