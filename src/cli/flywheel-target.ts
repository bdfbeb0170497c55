import { isGrpcServiceError, QueryNotRegisteredError, type Client, type WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { z } from 'zod';
import { modelIdSchema } from '../domain/records/ids.js';
import type { FlywheelStatus } from '../domain/flywheel/flywheel-state.js';
import { FlywheelClient } from '../clients/flywheel-client.js';
import { flywheelWorkflowId } from '../contracts/model-flywheel.js';
import { CliError, noFlywheel } from './cli-errors.js';

/** How long a query may wait for a worker to answer before we say none is running. */
const QUERY_DEADLINE_MS = 15_000;
const DEADLINE_EXCEEDED = 4;
/** The server's answer when no worker polled the workflow's task queue lately ("no poller seen"). */
const FAILED_PRECONDITION = 9;

/** Validates a model id argument (the same alphabet as workflow ids and registry paths). */
export function parseModelId(raw: string): string {
  const parsed = modelIdSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(`<model> "${raw}": ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export interface FlywheelTarget {
  modelId: string;
  workflowId: string;
  handle: WorkflowHandle;
  /** RUNNING, COMPLETED, TERMINATED, … */
  state: string;
  /** The task queue it runs on (its fleet monitor shard is named after it). */
  taskQueue: string;
  /** The flywheel's memo (`spec`: id, task, trainer, primaryMetric, approval, rollout). */
  memo: Record<string, unknown>;
}

/** Finds the model's flywheel; a missing one says how to start it. */
export async function findFlywheel(client: Client, modelId: string): Promise<FlywheelTarget> {
  const workflowId = flywheelWorkflowId(modelId);
  const handle = client.workflow.getHandle(workflowId);
  try {
    const description = await handle.describe();
    return {
      modelId,
      workflowId,
      handle,
      state: description.status.name,
      taskQueue: description.taskQueue,
      memo: description.memo ?? {},
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw noFlywheel(modelId);
    throw err;
  }
}

/** As {@link findFlywheel}, but refuses a closed flywheel (a signal could not reach it). */
export async function findRunningFlywheel(client: Client, modelId: string): Promise<FlywheelTarget> {
  const target = await findFlywheel(client, modelId);
  if (target.state !== 'RUNNING') {
    throw new CliError(
      `The flywheel of "${modelId}" (${target.workflowId}) is ${target.state}, not running. Start it again with: flywheel start <spec>`,
    );
  }
  return target;
}

/** Asks the flywheel for its `status`; a silent worker becomes a message saying so. */
export async function queryStatus(client: Client, target: FlywheelTarget): Promise<FlywheelStatus> {
  // Our own deadline: whatever shape the SDK gives the cancelled call, an aborted signal says it was us.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), QUERY_DEADLINE_MS);
  try {
    return await client.withAbortSignal(deadline.signal, () => new FlywheelClient(client).status(target.modelId));
  } catch (err) {
    const code = grpcCode(err);
    if (deadline.signal.aborted || code === DEADLINE_EXCEEDED || code === FAILED_PRECONDITION) {
      const why =
        code === FAILED_PRECONDITION ? '(no worker polls its task queue)' : `within ${QUERY_DEADLINE_MS / 1000} s`;
      throw new CliError(
        `No worker answered the status query of ${target.workflowId} ${why}: is an orchestration worker running (\`flywheel up\`)?`,
      );
    }
    if (err instanceof QueryNotRegisteredError)
      throw new CliError(`${target.workflowId} does not answer the status query: is it a flywheel workflow?`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** The gRPC status code of an error, whether the SDK wrapped it in a ServiceError or not. */
function grpcCode(err: unknown): number | undefined {
  if (isGrpcServiceError(err)) return err.code;
  const cause = (err as { cause?: unknown } | null)?.cause;
  return isGrpcServiceError(cause) ? cause.code : undefined;
}

/** Parses a numeric option with zod, naming the flag on failure. */
export function parseNumberOption<T extends z.ZodTypeAny>(
  flag: string,
  raw: string | undefined,
  schema: T,
): z.output<T> | undefined {
  if (raw === undefined) return undefined;
  const parsed = schema.safeParse(Number(raw));
  if (!parsed.success || raw.trim() === '')
    throw new CliError(
      `${flag} "${raw}": ${parsed.success ? 'expected a number' : (parsed.error.issues[0]?.message ?? 'invalid')}`,
    );
  return parsed.data;
}
