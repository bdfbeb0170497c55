import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { Command } from 'commander';
import { loadModelSpec } from '../../adapters/spec-loader.js';
import { DurationError } from '../../domain/duration.js';
import { ModelSpecError } from '../../domain/model-spec/model-spec.js';
import {
  createRetrainSchedule,
  deleteRetrainSchedule,
  listRetrainSchedules,
  pauseRetrainSchedule,
  retrainScheduleId,
  ScheduleOptionsError,
  triggerRetrainSchedule,
  unpauseRetrainSchedule,
} from '../../schedules/retrain-schedules.js';
import { withClient } from '../cli-context.js';
import { CliError } from '../cli-errors.js';
import { parseModelId } from '../flywheel-target.js';
import { out, outJson, renderTable } from '../format/output.js';
import { contextOf, withExamples } from './command-kit.js';
import { taskQueueConfigFromEnv } from '../../config/task-queue-config.js';

/** `<model>` or a full schedule id (`retrain:<model>[:<name>]`), plus an optional --name. */
function scheduleIdOf(target: string, name: string | undefined): string {
  if (target.startsWith('retrain:')) return target;
  return retrainScheduleId(parseModelId(target), name);
}

/** Maps the Schedules API's errors (and our option errors) to one-line messages. */
async function scheduleCall<T>(
  command: Command,
  scheduleId: string | undefined,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  return withClient(contextOf(command), async (client) => {
    try {
      return await fn(client);
    } catch (err) {
      if (err instanceof ScheduleNotFoundError)
        throw new CliError(`No schedule "${scheduleId}". List them with: flywheel schedule list`);
      if (err instanceof ScheduleAlreadyRunning)
        throw new CliError(
          `Schedule "${scheduleId}" already exists: delete it first, or pass --name for a second schedule.`,
        );
      if (err instanceof ScheduleOptionsError || err instanceof DurationError) throw new CliError(err.message);
      throw err;
    }
  });
}

interface CreateOptions {
  cron?: string;
  every?: string;
  name?: string;
  spec?: string;
  paused?: boolean;
  note?: string;
}

function registerCreate(schedule: Command): void {
  const cmd = schedule
    .command('create')
    .description("create a Temporal Schedule that signals a retrain to the model's flywheel (trigger kind `schedule`)")
    .argument('<model>', 'model id')
    .option('--cron <expr>', 'cron expression in UTC, e.g. "0 3 * * *"')
    .option('--every <duration>', 'interval, e.g. 24h, 30m, 1d')
    .option('--name <suffix>', 'schedule name when a model has several (id retrain:<model>:<name>)')
    .option('--spec <file>', 'model spec, so the schedule can start the flywheel if it is not running')
    .option('--paused', 'create it paused')
    .option('--note <text>', 'note shown in the UI')
    .action(async (model: string, opts: CreateOptions, command: Command) => {
      const modelId = parseModelId(model);
      if (Boolean(opts.cron) === Boolean(opts.every))
        throw new CliError('Give exactly one of --cron "0 3 * * *" or --every 24h.');
      const spec = opts.spec
        ? await loadModelSpec(opts.spec).catch((e: unknown) =>
            Promise.reject(e instanceof ModelSpecError ? new CliError(e.message) : e),
          )
        : undefined;
      if (spec && spec.id !== modelId)
        throw new CliError(`--spec ${opts.spec} is for model "${spec.id}", not "${modelId}".`);
      const id = retrainScheduleId(modelId, opts.name);
      // The queue the orchestration workers poll (CT_ORCHESTRATION_TASK_QUEUE), as for `flywheel start`.
      const { orchestrationTaskQueue } = taskQueueConfigFromEnv();
      await scheduleCall(command, id, (client) =>
        createRetrainSchedule(client, {
          modelId,
          taskQueue: orchestrationTaskQueue,
          ...(opts.name ? { name: opts.name } : {}),
          ...(opts.cron ? { cron: opts.cron } : { every: opts.every! }),
          ...(spec ? { spec } : {}),
          ...(opts.paused ? { paused: true } : {}),
          ...(opts.note ? { note: opts.note } : {}),
        }),
      );
      out(
        `created schedule ${id} (${opts.cron ? `cron "${opts.cron}"` : `every ${opts.every}`}${opts.paused ? ', paused' : ''})`,
      );
    });
  withExamples(cmd, [
    "flywheel schedule create fraud-sea --cron '0 3 * * *'",
    'flywheel schedule create fraud-sea --every 24h --name daily --spec examples/fraud-sea.yaml',
  ]);
}

function registerList(schedule: Command): void {
  const cmd = schedule
    .command('list')
    .description('list retrain schedules (all, or of one model); a new schedule can take a second to appear')
    .argument('[model]', 'only this model')
    .option('--json', 'print as JSON')
    .action(async (model: string | undefined, opts: { json?: boolean }, command: Command) => {
      const modelId = model === undefined ? undefined : parseModelId(model);
      const list = await scheduleCall(command, undefined, (client) => listRetrainSchedules(client, modelId));
      if (opts.json) return outJson(list);
      if (list.length === 0) return out(`no retrain schedules${modelId ? ` for ${modelId}` : ''}`);
      out(
        renderTable(list, [
          { header: 'schedule', value: (s) => s.scheduleId },
          { header: 'model', value: (s) => s.modelId ?? '-' },
          { header: 'state', value: (s) => (s.paused ? 'paused' : 'active') },
          { header: 'next run', value: (s) => s.nextActionTimes[0] ?? '-' },
          { header: 'last run', value: (s) => s.recentActions.at(-1) ?? '-' },
          { header: 'note', value: (s) => s.note ?? '' },
        ]),
      );
    });
  withExamples(cmd, ['flywheel schedule list', 'flywheel schedule list fraud-sea --json']);
}

type Verb = 'pause' | 'unpause' | 'trigger' | 'delete';
const VERBS: Record<
  Verb,
  { description: string; run: (client: Client, id: string, note?: string) => Promise<void>; done: string }
> = {
  pause: {
    description: 'pause a retrain schedule (no fires until unpause)',
    run: pauseRetrainSchedule,
    done: 'paused',
  },
  unpause: { description: 'unpause a retrain schedule', run: unpauseRetrainSchedule, done: 'unpaused' },
  trigger: {
    description: 'fire a retrain schedule now (its action runs at once; overlap SKIP applies)',
    run: (c, id) => triggerRetrainSchedule(c, id),
    done: 'triggered',
  },
  delete: {
    description: 'delete a retrain schedule (the flywheel keeps running)',
    run: (c, id) => deleteRetrainSchedule(c, id),
    done: 'deleted',
  },
};

function registerVerb(schedule: Command, verb: Verb): void {
  const v = VERBS[verb];
  const cmd = schedule
    .command(verb)
    .description(v.description)
    .argument('<model|scheduleId>', 'model id (with --name for a named schedule) or the full schedule id')
    .option('--name <suffix>', 'the schedule name given at create')
    .option('--note <text>', 'note (pause/unpause)')
    .action(async (target: string, opts: { name?: string; note?: string }, command: Command) => {
      const id = scheduleIdOf(target, opts.name);
      await scheduleCall(command, id, (client) => v.run(client, id, opts.note));
      out(`${v.done} schedule ${id}`);
    });
  withExamples(cmd, [`flywheel schedule ${verb} fraud-sea`, `flywheel schedule ${verb} retrain:fraud-sea:daily`]);
}

/** `flywheel schedule create|list|pause|unpause|trigger|delete`: periodic retrains as Temporal Schedules. */
export function registerScheduleCommands(program: Command): void {
  const schedule = program
    .command('schedule')
    .description('periodic retrains as Temporal Schedules: create, list, pause, unpause, trigger, delete');
  registerCreate(schedule);
  registerList(schedule);
  for (const verb of Object.keys(VERBS) as Verb[]) registerVerb(schedule, verb);
}
