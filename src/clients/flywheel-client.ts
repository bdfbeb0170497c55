import {
  WorkflowExecutionAlreadyStartedError,
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
  checkNowSignal,
  findingsQuery,
  monitorWorkflowId,
  PRODUCTION_MONITOR_WORKFLOW,
  updateMonitorSettingsSignal,
  type MonitorStatus,
  type ProductionMonitorInput,
  type ProductionMonitorWorkflow,
} from '../contracts/production-monitor.js';
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
import { parseSignalPayload } from './message-refused.js';

export interface FlywheelClientConfig {
  /** Task queue of the orchestration workers, where flywheels and monitors run (default ct-orchestration). */
  taskQueue?: string;
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

  constructor(
    readonly client: Client,
    private readonly config: FlywheelClientConfig = {},
  ) {
    this.taskQueue = config.taskQueue ?? TaskQueue.orchestration;
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

  /**
   * Starts the model's production monitor (`flywheel:<id>:monitor`). Idempotent: a monitor
   * already running is left as it is (`started: false`); change it with {@link updateMonitorSettings}.
   */
  async startMonitor(input: ProductionMonitorInput): Promise<{ workflowId: string; started: boolean }> {
    const workflowId = monitorWorkflowId(input.modelId);
    try {
      await this.client.workflow.start<ProductionMonitorWorkflow>(PRODUCTION_MONITOR_WORKFLOW, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        typedSearchAttributes: [{ key: CtModelId, value: input.modelId }],
        staticSummary: `production monitor of ${input.modelId}: drift and live accuracy → flywheel signals`,
      });
      return { workflowId, started: true };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
      throw error;
    }
  }

  monitorFindings(modelId: string): Promise<MonitorStatus> {
    return this.client.workflow.getHandle(monitorWorkflowId(modelId)).query(findingsQuery.definition);
  }

  /** Runs a monitor check now instead of waiting for its timer. */
  async checkNow(modelId: string): Promise<void> {
    await this.client.workflow.getHandle(monitorWorkflowId(modelId)).signal(checkNowSignal.definition);
  }

  async updateMonitorSettings(
    modelId: string,
    update: z.input<typeof updateMonitorSettingsSignal.schema>,
  ): Promise<void> {
    const parsed = parseSignalPayload(updateMonitorSettingsSignal, update);
    await this.client.workflow
      .getHandle(monitorWorkflowId(modelId))
      .signal(updateMonitorSettingsSignal.definition, parsed);
  }
}

export { FlywheelMessageRefused, type PayloadIssue } from './message-refused.js';
