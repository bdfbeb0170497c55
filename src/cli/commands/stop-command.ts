import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { FlywheelClient } from '../../clients/flywheel-client.js';
import { TASK_QUEUE_ENV, taskQueueConfigFromEnv } from '../../config/task-queue-config.js';
import type { FlywheelStatus } from '../../domain/flywheel/flywheel-state.js';
import { listRetrainSchedules, pauseRetrainSchedule } from '../../schedules/retrain-schedules.js';
import { withClient } from '../cli-context.js';
import { findFlywheel, parseModelId, queryStatus, type FlywheelTarget } from '../flywheel-target.js';
import { note, out, outJson } from '../format/output.js';
import { contextOf, currentUser, withExamples } from './command-kit.js';

/** How often the drain looks at the flywheel while a cycle finishes. */
const POLL_MS = 2_000;

interface StopOptions {
  cancel?: boolean;
  taskQueue?: string;
  as: string;
  reason?: string;
  json?: boolean;
}

interface StopReport {
  modelId: string;
  workflowId: string;
  mode: 'drain' | 'cancel';
  /** The flywheel's state before: RUNNING, or already closed (then only the monitor and schedules are stopped). */
  flywheelWas: string;
  /** Cycles that finished (drain) or were cancelled (cancel) while stopping. */
  cycles: string[];
  /** Pending triggers the stopped flywheel dropped. */
  droppedPendingTriggers: number;
  monitor: { workflowId: string; wasRunning: boolean };
  pausedSchedules: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const idle = (s: FlywheelStatus) => s.inFlight === null && (s.cycleDue === null || s.cycleDue === undefined);

/**
 * Brings a running flywheel to rest: pause (triggers are still recorded, no new cycle
 * starts), then wait for the cycle in flight to end (drain) or cancel it (the cycle
 * restores the champion's traffic), then cancel the idle flywheel.
 */
async function bringToRest(
  client: Client,
  target: FlywheelTarget,
  o: StopOptions,
): Promise<{ cycles: string[]; dropped: number }> {
  const flywheels = new FlywheelClient(client);
  const why = `flywheel stop${o.cancel ? ' --cancel' : ''}${o.reason ? `: ${o.reason}` : ''}`;
  await flywheels.pause(target.modelId, { by: o.as, reason: why });
  note(`paused ${target.workflowId}: no new cycle starts`);
  const cycles: string[] = [];
  let shown = '';
  for (let status = await queryStatus(client, target); ; status = await queryStatus(client, target)) {
    if (idle(status)) {
      await flywheels.cancelFlywheel(target.modelId);
      // The flywheel ends on its next workflow task; wait for it so the command reports a closed flywheel.
      await target.handle.result().catch(() => undefined);
      return { cycles, dropped: status.pending?.count ?? 0 };
    }
    const f = status.inFlight;
    if (f && !cycles.includes(f.workflowId)) {
      cycles.push(f.workflowId);
      if (o.cancel) {
        await flywheels.cancelCycle(f.workflowId);
        note(`cancelled ${f.workflowId} (it restores the champion's traffic and reports to the flywheel)`);
      }
    }
    const now = f ? `${f.workflowId} at step ${f.step}` : `cycle ${status.cycleDue} about to start`;
    if (now !== shown) {
      shown = now;
      note(
        `${o.cancel ? 'waiting for' : 'draining: waiting for'} ${now} to end${o.cancel ? '' : ' (Ctrl-C stops waiting and leaves the flywheel paused; flywheel stop --cancel cancels the cycle)'}`,
      );
    }
    await sleep(POLL_MS);
  }
}

/** Pauses the model's retrain schedules: a fire would signal-with-start the flywheel again. */
async function pauseSchedules(client: Client, modelId: string, why: string): Promise<string[]> {
  const running = (await listRetrainSchedules(client, modelId)).filter((s) => !s.paused);
  for (const s of running) await pauseRetrainSchedule(client, s.scheduleId, why);
  return running.map((s) => s.scheduleId);
}

function print(r: StopReport): void {
  if (r.flywheelWas !== 'RUNNING') out(`${r.workflowId} was already ${r.flywheelWas.toLowerCase()}`);
  else
    out(
      `${r.workflowId} stopped (${r.mode === 'drain' ? 'drained' : 'cancelled'}${r.cycles.length ? `: ${r.cycles.join(', ')} ${r.mode === 'drain' ? 'finished' : 'cancelled'}` : ': no cycle was in flight'})`,
    );
  if (r.droppedPendingTriggers > 0) out(`dropped ${r.droppedPendingTriggers} pending trigger(s)`);
  out(`monitor ${r.monitor.workflowId} ${r.monitor.wasRunning ? 'stopped' : 'was not running'}`);
  if (r.pausedSchedules.length) out(`paused schedule(s): ${r.pausedSchedules.join(', ')}`);
  out(
    `start it again with: flywheel start <spec>${r.pausedSchedules.length ? ' (then flywheel schedule unpause …)' : ''}`,
  );
}

/** `flywheel stop <model>`: drain (default) or cancel the flywheel, then stop its monitor and schedules. */
export function registerStop(program: Command): void {
  const cmd = program
    .command('stop')
    .description(
      "stop a model's flywheel: drain (default: no new cycle, the running one finishes) or --cancel the running cycle; also stops its monitor and pauses its retrain schedules",
    )
    .argument('<model>', 'model id')
    .option(
      '--cancel',
      'cancel the cycle in flight instead of waiting for it (its rollout gives the champion all traffic back)',
    )
    .option(
      '--task-queue <queue>',
      `orchestration task queue of the flywheel, which names its monitor shard (default: $${TASK_QUEUE_ENV.orchestrationTaskQueue} or ct-orchestration)`,
    )
    .option('--as <user>', 'who (recorded with the pause)', currentUser())
    .option('--reason <text>', 'why')
    .option('--json', 'print what was stopped as JSON')
    .addHelpText(
      'after',
      `
Steps: pause the flywheel (signal pause: triggers are recorded, no cycle starts), wait for the
cycle in flight to end (or cancel it with --cancel), cancel the idle flywheel (pending
triggers are dropped), take it off its production monitor, pause its retrain schedules. The
model's traffic and registry are untouched: the champion keeps serving.
Draining waits as long as the cycle runs (an approval may wait hours): Ctrl-C stops waiting
and leaves the flywheel paused; run stop again, or stop --cancel.`,
    )
    .action(async (model: string, opts: StopOptions, command: Command) => {
      const ctx = contextOf(command);
      const modelId = parseModelId(model);
      const report = await withClient(ctx, async (client): Promise<StopReport> => {
        const target = await findFlywheel(client, modelId);
        const rest = target.state === 'RUNNING' ? await bringToRest(client, target, opts) : { cycles: [], dropped: 0 };
        // The fleet monitor shard is named after the orchestration queue: the flag, else what the workers read.
        const taskQueue = opts.taskQueue ?? taskQueueConfigFromEnv().orchestrationTaskQueue;
        const monitor = await new FlywheelClient(client, { taskQueue }).stopMonitor(modelId);
        const pausedSchedules = await pauseSchedules(client, modelId, `flywheel stop by ${opts.as}`);
        return {
          modelId,
          workflowId: target.workflowId,
          mode: opts.cancel ? 'cancel' : 'drain',
          flywheelWas: target.state,
          cycles: rest.cycles,
          droppedPendingTriggers: rest.dropped,
          monitor,
          pausedSchedules,
        };
      });
      if (opts.json) return outJson(report);
      print(report);
    });
  withExamples(cmd, [
    'flywheel stop fraud-sea --reason "model retired"',
    'flywheel stop fraud-sea --cancel --as ana --reason "bad training data upstream"',
  ]);
}
