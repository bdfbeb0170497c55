import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { z } from 'zod';
import { FlywheelClient, FlywheelMessageRefused } from '../../clients/flywheel-client.js';
import {
  abortRolloutSignal,
  promoteNowSignal,
  rolloutWorkflowId,
  type RolloutResult,
} from '../../contracts/rollout.js';
import { cycleWorkflowId } from '../../contracts/training-cycle.js';
import { withClient, workflowLink } from '../cli-context.js';
import { CliError } from '../cli-errors.js';
import { findFlywheel, parseModelId, parseNumberOption, queryStatus } from '../flywheel-target.js';
import { out, outJson } from '../format/output.js';
import { contextOf, currentUser, withExamples } from './command-kit.js';

/** How long to wait for the rollout to act on the signal and end before saying it is still going. */
const SETTLE_MS = 20_000;

type RolloutSignal = typeof abortRolloutSignal | typeof promoteNowSignal;

interface RolloutOptions {
  as: string;
  reason?: string;
  cycle?: string;
  json?: boolean;
}

/** The rollout to steer: --cycle's, else the one of the cycle in flight; a model with none says what it is doing instead. */
async function runningRollout(
  client: Client,
  modelId: string,
  cycle: number | undefined,
): Promise<{ cycleId: string; rolloutId: string }> {
  let cycleId: string;
  if (cycle !== undefined) cycleId = cycleWorkflowId(modelId, cycle);
  else {
    const f = (await queryStatus(client, await findFlywheel(client, modelId))).inFlight;
    if (f?.step !== 'rollout') {
      const now = f ? `cycle ${f.cycle} is at step ${f.step}` : 'no cycle is in flight';
      throw new CliError(
        `No rollout in progress for "${modelId}" (${now}). See flywheel status ${modelId}; pass --cycle <n> for a specific cycle's rollout.`,
      );
    }
    cycleId = f.workflowId;
  }
  const rolloutId = rolloutWorkflowId(cycleId);
  const state = await client.workflow
    .getHandle(rolloutId)
    .describe()
    .then((d) => d.status.name)
    .catch(() => 'not started');
  if (state !== 'RUNNING')
    throw new CliError(
      `No rollout in progress for "${modelId}": ${rolloutId} is ${state.toLowerCase()}. See flywheel history ${modelId}.`,
    );
  return { cycleId, rolloutId };
}

/** The rollout's result if it ends within {@link SETTLE_MS}, else undefined (it acts at its next step). */
async function settled(client: Client, rolloutId: string): Promise<RolloutResult | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), SETTLE_MS)));
  try {
    return await Promise.race([client.workflow.getHandle(rolloutId).result() as Promise<RolloutResult>, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function registerRolloutCommand(rollout: Command, verb: 'abort' | 'promote', message: RolloutSignal): void {
  const what =
    verb === 'abort'
      ? "stop the candidate's rollout and give the champion all traffic back"
      : 'skip the remaining rollout phases and promote the candidate now';
  const cmd = rollout
    .command(verb)
    .description(`${what} (signal ${message.name} on flywheel:<model>:cycle:<n>:rollout)`)
    .argument('<model>', 'model id')
    .option('--as <user>', 'who (kept in the rollout steps and the cycle report)', currentUser())
    .option('--reason <text>', 'why')
    .option('--cycle <n>', 'cycle number (default: the cycle in flight, when it is at its rollout step)')
    .option('--json', 'print { rolloutWorkflowId, signal, result } as JSON')
    .action(async (model: string, opts: RolloutOptions, command: Command) => {
      const ctx = contextOf(command);
      const modelId = parseModelId(model);
      const cycle = parseNumberOption('--cycle', opts.cycle, z.number().int().min(1, 'cycles are numbered from 1'));
      const { rolloutId, result } = await withClient(ctx, async (client) => {
        const { cycleId, rolloutId } = await runningRollout(client, modelId, cycle);
        const command = { by: opts.as, ...(opts.reason ? { reason: opts.reason } : {}) };
        const flywheels = new FlywheelClient(client);
        try {
          await (verb === 'abort' ? flywheels.abortRollout(cycleId, command) : flywheels.promoteNow(cycleId, command));
        } catch (err) {
          if (err instanceof FlywheelMessageRefused) throw new CliError(err.message);
          throw err;
        }
        return { rolloutId, result: await settled(client, rolloutId) };
      });
      if (opts.json) return outJson({ rolloutWorkflowId: rolloutId, signal: message.name, result: result ?? null });
      out(`sent ${message.name} to ${rolloutId}`);
      if (result) out(`rollout ${result.outcome}: ${result.reason}`);
      else
        out(
          `the rollout has not ended within ${SETTLE_MS / 1000} s (it acts when its current step, e.g. a routing write, ends); follow it with: flywheel status ${modelId}`,
        );
      const ui = workflowLink(ctx, rolloutId);
      if (ui) out(`ui: ${ui}`);
    });
  withExamples(cmd, [
    `flywheel rollout ${verb} fraud-sea --reason "${verb === 'abort' ? 'p95 latency looks wrong on the dashboard' : 'canary is clean, release window closes'}"`,
    `flywheel rollout ${verb} fraud-sea --cycle 4 --as ana`,
  ]);
}

/** `flywheel rollout abort|promote <model>`: steer the rollout of the cycle in flight. */
export function registerRolloutCommands(program: Command): void {
  const rollout = program
    .command('rollout')
    .description("steer the candidate's rollout (shadow/canary/blue-green) of a model's cycle in flight");
  registerRolloutCommand(rollout, 'abort', abortRolloutSignal);
  registerRolloutCommand(rollout, 'promote', promoteNowSignal);
}
