/**
 * Where the time of `bench:orchestration`'s fleet run went, read from a sample of histories:
 * how long each kind of task waited in its queue (scheduled → started: no free worker slot or
 * poller, or the server not dispatching) and how long the worker held it (started → completed).
 */
import { isGrpcServiceError, type Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { flywheelWorkflowId } from '../../src/contracts/model-flywheel.js';
import { cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { pct } from './bench-figures.js';

type Event = proto.temporal.api.history.v1.IHistoryEvent;
/** gRPC status NOT_FOUND, as the server answers for a workflow id it does not know. */
const GRPC_NOT_FOUND = 5;

/** An event's time in ms since the epoch (NaN for none). */
export const eventTimeMs = (e: Event | undefined): number =>
  e?.eventTime ? Number(e.eventTime.seconds ?? 0) * 1000 + Math.round((e.eventTime.nanos ?? 0) / 1e6) : NaN;

/** Scheduled → started and started → completed of every workflow task and activity task in `events`. */
function taskTimes(events: Event[]): {
  wftWait: number[];
  wftRun: number[];
  actWait: number[];
  wftTimedOut: TimedOut;
} {
  const byId = new Map<number, Event>();
  for (const e of events) byId.set(Number(e.eventId), e);
  const wftWait: number[] = [];
  const wftRun: number[] = [];
  const actWait: number[] = [];
  for (const e of events) {
    const s = e.workflowTaskStartedEventAttributes;
    if (s) wftWait.push(eventTimeMs(e) - eventTimeMs(byId.get(Number(s.scheduledEventId))));
    const c = e.workflowTaskCompletedEventAttributes;
    if (c) wftRun.push(eventTimeMs(e) - eventTimeMs(byId.get(Number(c.startedEventId))));
    const a = e.activityTaskStartedEventAttributes;
    if (a) actWait.push(eventTimeMs(e) - eventTimeMs(byId.get(Number(a.scheduledEventId))));
  }
  const timeouts = events.map((e) => e.workflowTaskTimedOutEventAttributes?.timeoutType).filter((t) => t != null);
  const wftTimedOut = {
    waiting: timeouts.filter((t) => t === SCHEDULE_TO_START).length,
    held: timeouts.filter((t) => t !== SCHEDULE_TO_START).length,
  };
  return { wftWait, wftRun, actWait, wftTimedOut };
}

/**
 * Workflow tasks that timed out. `waiting`: a task on the worker's sticky queue that no poll
 * took within the sticky schedule-to-start timeout (10 s by default); the server moves it to
 * the normal queue, and the worker that takes it there replays the whole history unless
 * the workflow is still cached. `held`: a task a worker started but did not complete within
 * its start-to-close timeout (10 s); its work is thrown away and redone.
 */
interface TimedOut {
  waiting: number;
  held: number;
}
const SCHEDULE_TO_START = proto.temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START;

/** For one flywheel: the alert (the last signal before its first child start) → the task that handled it started, and → the child-start command. */
function alertPath(events: Event[]): { toTask: number; toCommand: number } {
  const initiated = events.find((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
  const before = events.filter((e) => Number(e.eventId) < Number(initiated?.eventId ?? Infinity));
  const signaled = before.filter((e) => e.workflowExecutionSignaledEventAttributes).at(-1);
  const started = before.find(
    (e) => e.workflowTaskStartedEventAttributes && Number(e.eventId) > Number(signaled?.eventId ?? Infinity),
  );
  return {
    toTask: eventTimeMs(started) - eventTimeMs(signaled),
    toCommand: eventTimeMs(initiated) - eventTimeMs(signaled),
  };
}

const line = (label: string, xs: number[]) =>
  `    ${label.padEnd(44)} p50 ${pct(xs, 50).toFixed(0)} ms  p99 ${pct(xs, 99).toFixed(0)} ms  (${xs.length} tasks)`;

/** A workflow's events; none when it does not exist (a cycle whose switch needs no bake runs no rollout child). */
export async function eventsIfAny(client: Client, workflowId: string): Promise<Event[]> {
  try {
    return (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND) return [];
    throw err;
  }
}

/** Prints the breakdown for up to `sample` of the models (spread over the fleet). */
export async function printBreakdown(client: Client, modelIds: readonly string[], sample = 40): Promise<void> {
  const step = Math.max(1, Math.floor(modelIds.length / sample));
  const picked = modelIds.filter((_, i) => i % step === 0).slice(0, sample);
  const history = (id: string) => eventsIfAny(client, id);
  const fly = { wftWait: [] as number[], wftRun: [] as number[], toTask: [] as number[], toCommand: [] as number[] };
  const timedOut: TimedOut = { waiting: 0, held: 0 };
  const addTimedOut = (t: TimedOut) => {
    timedOut.waiting += t.waiting;
    timedOut.held += t.held;
  };
  const cyc = { wftWait: [] as number[], wftRun: [] as number[], actWait: [] as number[], firstWait: [] as number[] };
  for (const modelId of picked) {
    const [f, c, r] = await Promise.all([
      history(flywheelWorkflowId(modelId)),
      history(cycleWorkflowId(modelId, 1)),
      history(`${cycleWorkflowId(modelId, 1)}:rollout`),
    ]);
    const ft = taskTimes(f);
    fly.wftWait.push(...ft.wftWait);
    fly.wftRun.push(...ft.wftRun);
    addTimedOut(ft.wftTimedOut);
    const path = alertPath(f);
    fly.toTask.push(path.toTask);
    fly.toCommand.push(path.toCommand);
    for (const events of [c, r]) {
      const t = taskTimes(events);
      cyc.wftWait.push(...t.wftWait);
      cyc.wftRun.push(...t.wftRun);
      cyc.actWait.push(...t.actWait);
      addTimedOut(t.wftTimedOut);
    }
    cyc.firstWait.push(taskTimes(c).wftWait[0] ?? NaN);
  }
  console.log(`    where the time went (histories of ${picked.length} flywheels and their cycle 1 + rollout):`);
  console.log(line('flywheel: alert → its workflow task starts', fly.toTask));
  console.log(line('flywheel: alert → start-child command', fly.toCommand));
  console.log(line('flywheel: workflow task queue wait', fly.wftWait));
  console.log(line('flywheel: workflow task on the worker', fly.wftRun));
  console.log(line('cycle: first workflow task queue wait', cyc.firstWait));
  console.log(line('cycle + rollout: workflow task queue wait', cyc.wftWait));
  console.log(line('cycle + rollout: workflow task on the worker', cyc.wftRun));
  console.log(line('cycle + rollout: activity task queue wait', cyc.actWait));
  console.log(
    `    workflow tasks timed out in these ${picked.length * 3} histories: ${timedOut.waiting} waiting on the sticky queue (moved to the normal queue), ${timedOut.held} held by a worker past 10 s (redone)`,
  );
}
