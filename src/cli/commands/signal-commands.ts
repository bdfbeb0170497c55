import type { Command } from 'commander';
import type { z } from 'zod';
import { FlywheelClient, FlywheelMessageRefused } from '../../clients/flywheel-client.js';
import { parseSignalPayload } from '../../clients/message-refused.js';
import {
  driftAlertSignal,
  newDataSignal,
  pauseSignal,
  performanceReportSignal,
  resumeSignal,
  retrainRequestedSignal,
  type FlywheelSignal,
} from '../../contracts/model-flywheel.js';
import { withClient } from '../cli-context.js';
import { CliError } from '../cli-errors.js';
import { findRunningFlywheel, parseModelId } from '../flywheel-target.js';
import { out } from '../format/output.js';
import { contextOf, currentUser, withExamples } from './command-kit.js';

/** Alert kinds and the flywheel signal each one is. */
const ALERT_KINDS = {
  drift: driftAlertSignal,
  performance: performanceReportSignal,
  newData: newDataSignal,
} as const;
type AlertKindName = keyof typeof ALERT_KINDS;

/** Validates a payload with the schema the workflow applies, so a signal it would drop is refused here with the reason. */
function payload<M extends FlywheelSignal>(
  message: M,
  raw: Record<string, unknown>,
  what: string,
): z.output<M['schema']> {
  try {
    return parseSignalPayload<M['schema']>(message, raw);
  } catch (err) {
    if (err instanceof FlywheelMessageRefused)
      throw new CliError(`Invalid ${what}: ${err.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
    throw err;
  }
}

/** Signals the model's running flywheel (a stopped one is refused with how to start it; nothing is started). */
async function send<M extends FlywheelSignal>(
  command: Command,
  model: string,
  message: M,
  body: z.input<M['schema']>,
): Promise<string> {
  const ctx = contextOf(command);
  const modelId = parseModelId(model);
  return withClient(ctx, async (client) => {
    const target = await findRunningFlywheel(client, modelId);
    await new FlywheelClient(client).signal(message, modelId, body);
    return target.workflowId;
  });
}

const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function scoreOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n))
    throw new CliError(
      `--score "${raw}": expected a number (drift 0..1, performance = metric drop, newData = row count)`,
    );
  return n;
}

interface AlertOptions {
  kind: string;
  severity?: string;
  score?: string;
  reason?: string;
  source?: string;
  feature?: string[];
}

function registerAlert(program: Command): void {
  const cmd = program
    .command('alert')
    .description(
      'send the flywheel a drift alert, a performance report or a new-data notice (its trigger policy decides what happens)',
    )
    .argument('<model>', 'model id')
    .option('--kind <kind>', `one of ${Object.keys(ALERT_KINDS).join(', ')}`, 'drift')
    .option('--severity <level>', 'info, warning or critical (drift/performance)')
    .option('--score <n>', 'drift severity 0..1, performance degradation (0.04 = 4 points) or new row count')
    .option('--reason <text>', 'why, in a sentence (kept in the flywheel decisions)')
    .option('--source <name>', 'who raised it', `cli:${currentUser()}`)
    .option('--feature <name...>', 'drifted feature(s), for drift alerts')
    .action(async (model: string, opts: AlertOptions, command: Command) => {
      if (!(opts.kind in ALERT_KINDS))
        throw new CliError(`--kind "${opts.kind}": use one of ${Object.keys(ALERT_KINDS).join(', ')}`);
      const kind = ALERT_KINDS[opts.kind as AlertKindName];
      const score = scoreOf(opts.score);
      const body = payload(
        kind,
        defined({
          source: opts.source,
          reason: opts.reason,
          severity: kind === newDataSignal ? undefined : opts.severity,
          score,
          at: new Date().toISOString(),
          ...(kind === driftAlertSignal ? { features: opts.feature } : {}),
          ...(kind === newDataSignal && score !== undefined ? { rows: score } : {}),
        }),
        `${kind.name} (--kind ${opts.kind})`,
      );
      const workflowId = await send(command, model, kind, body);
      out(
        `sent ${kind.name} to ${workflowId}${score !== undefined ? ` (score ${score})` : ''}; see what the flywheel decided: flywheel status ${model}`,
      );
    });
  withExamples(cmd, [
    'flywheel alert fraud-sea --kind drift --score 0.8 --reason "f1 PSI 0.41" --feature f1',
    'flywheel alert fraud-sea --kind performance --severity warning --score 0.05',
    'flywheel alert churn --kind newData --score 5000',
  ]);
}

function registerRetrain(program: Command): void {
  const cmd = program
    .command('retrain')
    .description(
      'ask for a retrain now (manual trigger: no debounce, no cooldown; --force also skips the retrain budget)',
    )
    .argument('<model>', 'model id')
    .option('--force', 'also skip the retrain budget (still one cycle at a time)', false)
    .option('--reason <text>', 'why')
    .option('--as <user>', 'who is asking', currentUser())
    .action(async (model: string, opts: { force: boolean; reason?: string; as: string }, command: Command) => {
      const body = payload(
        retrainRequestedSignal,
        defined({
          requestedBy: opts.as,
          force: opts.force,
          reason: opts.reason,
          source: 'cli',
          at: new Date().toISOString(),
        }),
        retrainRequestedSignal.name,
      );
      const workflowId = await send(command, model, retrainRequestedSignal, body);
      out(
        `sent ${retrainRequestedSignal.name}${opts.force ? ' (forced)' : ''} to ${workflowId}; follow it with: flywheel status ${model}`,
      );
    });
  withExamples(cmd, [
    'flywheel retrain fraud-sea --reason "new labels from the Q3 audit"',
    'flywheel retrain fraud-sea --force --as alice',
  ]);
}

function registerPauseResume(program: Command, message: typeof pauseSignal | typeof resumeSignal): void {
  const { name } = message;
  const description =
    message === pauseSignal
      ? 'pause the flywheel: triggers are recorded but start nothing until resume (a cycle in flight continues)'
      : 'resume a paused flywheel: held triggers are looked at again';
  const cmd = program
    .command(name)
    .description(description)
    .argument('<model>', 'model id')
    .option('--reason <text>', 'why')
    .option('--as <user>', 'who', currentUser())
    .action(async (model: string, opts: { reason?: string; as: string }, command: Command) => {
      const body = payload(message, defined({ by: opts.as, reason: opts.reason }), name);
      const workflowId = await send(command, model, message, body);
      out(`sent ${name} to ${workflowId}`);
    });
  withExamples(cmd, [
    `flywheel ${name} fraud-sea${message === pauseSignal ? ' --reason "data freeze until the migration ends"' : ''}`,
  ]);
}

export function registerSignalCommands(program: Command): void {
  registerAlert(program);
  registerRetrain(program);
  registerPauseResume(program, pauseSignal);
  registerPauseResume(program, resumeSignal);
}
