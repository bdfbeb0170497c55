import { ScheduleOverlapPolicy, type Client, type ScheduleSummary } from '@temporalio/client';
import { parseDuration } from '../domain/duration.js';
import type { ModelSpec } from '../domain/model-spec/model-spec.js';
import { CtModelId } from '../domain/search-attributes.js';
import { TaskQueue } from '../domain/task-queues.js';
import { SCHEDULED_RETRAIN_WORKFLOW, type ScheduledRetrainInput } from '../contracts/scheduled-retrain.js';

/** Schedule ids read as sentences: `retrain:<modelId>` or `retrain:<modelId>:<name>`. */
export const retrainScheduleId = (modelId: string, name?: string): string =>
  `retrain:${modelId}${name ? `:${name}` : ''}`;

export interface RetrainScheduleOptions {
  modelId: string;
  /** Optional suffix when a model has several schedules, e.g. `nightly`. */
  name?: string;
  /** Either a cron expression (`0 3 * * *`) or an interval (`24h`, ms). */
  cron?: string;
  every?: string | number;
  /** Lets the schedule start the flywheel if it is not running yet. */
  spec?: ModelSpec;
  paused?: boolean;
  note?: string;
  /** Task queue of the orchestration workers; default ct-orchestration. */
  taskQueue?: string;
}

export class ScheduleOptionsError extends Error {
  override name = 'ScheduleOptionsError';
}

/**
 * Creates a Temporal Schedule whose action runs `scheduledRetrain`, which signals-with-start
 * the model's flywheel with a `schedule` trigger. Overlap SKIP: a fire while the previous
 * action still runs is skipped (the flywheel coalesces anyway).
 * @returns the schedule id
 */
export async function createRetrainSchedule(client: Client, o: RetrainScheduleOptions): Promise<string> {
  if (Boolean(o.cron) === (o.every !== undefined))
    throw new ScheduleOptionsError('give exactly one of cron (e.g. "0 3 * * *") or every (e.g. "24h")');
  const scheduleId = retrainScheduleId(o.modelId, o.name);
  const args: ScheduledRetrainInput = { modelId: o.modelId, scheduleId, ...(o.spec ? { spec: o.spec } : {}) };
  await client.schedule.create({
    scheduleId,
    spec: o.cron ? { cronExpressions: [o.cron] } : { intervals: [{ every: parseDuration(o.every!) }] },
    action: {
      type: 'startWorkflow',
      workflowType: SCHEDULED_RETRAIN_WORKFLOW,
      workflowId: `${scheduleId}:fire`,
      taskQueue: o.taskQueue ?? TaskQueue.orchestration,
      args: [args],
      typedSearchAttributes: [{ key: CtModelId, value: o.modelId }],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1h', pauseOnFailure: false },
    memo: { modelId: o.modelId },
    state: { paused: o.paused ?? false, ...(o.note ? { note: o.note } : {}) },
  });
  return scheduleId;
}

export interface RetrainScheduleInfo {
  scheduleId: string;
  modelId: string | undefined;
  paused: boolean;
  note?: string;
  nextActionTimes: string[];
  recentActions: string[];
}

/** Lists retrain schedules (optionally of one model). Visibility is eventually consistent: a new schedule may take a moment to show. */
export async function listRetrainSchedules(client: Client, modelId?: string): Promise<RetrainScheduleInfo[]> {
  const out: RetrainScheduleInfo[] = [];
  for await (const s of client.schedule.list()) {
    if (!s.scheduleId.startsWith('retrain:')) continue;
    const info = toInfo(s);
    if (modelId && info.modelId !== modelId) continue;
    out.push(info);
  }
  return out;
}

function toInfo(s: ScheduleSummary): RetrainScheduleInfo {
  const modelId = typeof s.memo?.modelId === 'string' ? s.memo.modelId : s.scheduleId.split(':')[1];
  return {
    scheduleId: s.scheduleId,
    modelId,
    paused: s.state.paused,
    ...(s.state.note ? { note: s.state.note } : {}),
    nextActionTimes: s.info.nextActionTimes.map((d) => d.toISOString()),
    recentActions: s.info.recentActions.map((a) => a.takenAt.toISOString()),
  };
}

export const pauseRetrainSchedule = (client: Client, scheduleId: string, note?: string): Promise<void> =>
  client.schedule.getHandle(scheduleId).pause(note);
export const unpauseRetrainSchedule = (client: Client, scheduleId: string, note?: string): Promise<void> =>
  client.schedule.getHandle(scheduleId).unpause(note);
/** Fires the schedule now (overlap SKIP still applies). */
export const triggerRetrainSchedule = (client: Client, scheduleId: string): Promise<void> =>
  client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.SKIP);
export const deleteRetrainSchedule = (client: Client, scheduleId: string): Promise<void> =>
  client.schedule.getHandle(scheduleId).delete();
