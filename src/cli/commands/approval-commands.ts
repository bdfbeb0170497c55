import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Command } from 'commander';
import { z } from 'zod';
import { FlywheelClient } from '../../clients/flywheel-client.js';
import { describePayloadError } from '../../domain/signals.js';
import { approveUpdate, cycleWorkflowId, rejectUpdate, type ApprovalAnswer } from '../../contracts/training-cycle.js';
import { withClient, workflowLink } from '../cli-context.js';
import { CliError } from '../cli-errors.js';
import { findFlywheel, parseModelId, parseNumberOption, queryStatus } from '../flywheel-target.js';
import { out, outJson } from '../format/output.js';
import { contextOf, withExamples } from './command-kit.js';

interface DecisionOptions {
  as: string;
  comment?: string;
  cycle?: string;
  json?: boolean;
}

/** The cycle to answer: --cycle, else the flywheel's cycle in flight if it waits at its approval step. */
async function cycleToAnswer(client: Client, modelId: string, cycleOption: number | undefined): Promise<string> {
  if (cycleOption !== undefined) return cycleWorkflowId(modelId, cycleOption);
  const status = await queryStatus(client, await findFlywheel(client, modelId));
  const f = status.inFlight;
  if (f?.step === 'approval') return f.workflowId;
  const now = f ? `cycle ${f.cycle} is at step ${f.step}` : 'no cycle is in flight';
  throw new CliError(
    `No cycle of "${modelId}" is waiting for approval (${now}). Pass --cycle <n> to answer a specific cycle.`,
  );
}

/** The validator's refusal (or the failure) as one line; anything else is unexpected. */
function refusal(err: unknown, cycleId: string): CliError | undefined {
  if (err instanceof WorkflowUpdateFailedError)
    return new CliError(`Refused by ${cycleId}: ${err.cause?.message ?? err.message}`);
  if (err instanceof WorkflowNotFoundError)
    return new CliError(`No running cycle ${cycleId}: it finished or never started (see flywheel history).`);
  return undefined;
}

function registerDecision(program: Command, update: typeof approveUpdate | typeof rejectUpdate): void {
  const { name } = update;
  const cmd = program
    .command(name)
    .description(
      `${name} the candidate of a cycle waiting for a person (an update: the workflow answers, or refuses with the reason)`,
    )
    .argument('<model>', 'model id')
    .requiredOption('--as <user>', "who decides; must be one of the approval policy's approvers")
    .option('--comment <text>', 'why (kept in the version manifest)')
    .option('--cycle <n>', 'cycle number (default: the cycle waiting for approval, from status)')
    .option('--json', 'print the answer as JSON')
    .action(async (model: string, opts: DecisionOptions, command: Command) => {
      const ctx = contextOf(command);
      const modelId = parseModelId(model);
      const cycle = parseNumberOption('--cycle', opts.cycle, z.number().int().min(1, 'cycles are numbered from 1'));
      const answer = await withClient(ctx, async (client) => {
        const cycleId = await cycleToAnswer(client, modelId, cycle);
        const decision = update.schema.safeParse({
          cycleId,
          by: opts.as,
          ...(opts.comment ? { comment: opts.comment } : {}),
        });
        if (!decision.success) throw new CliError(`Invalid ${name}: ${describePayloadError(decision.error)}`);
        try {
          const flywheels = new FlywheelClient(client);
          return await (update === approveUpdate ? flywheels.approve(decision.data) : flywheels.reject(decision.data));
        } catch (err) {
          throw refusal(err, cycleId) ?? err;
        }
      });
      printAnswer(answer, workflowLink(ctx, answer.cycleId), opts.json);
    });
  withExamples(cmd, [
    `flywheel ${name} fraud-sea --as risk-lead@example.com --comment "${update === approveUpdate ? 'gain is significant, slices OK' : 'wait for the audit labels'}"`,
    `flywheel ${name} fraud-sea --as risk-lead@example.com --cycle 3`,
  ]);
}

function printAnswer(answer: ApprovalAnswer, ui: string | undefined, json: boolean | undefined): void {
  if (json) return outJson(answer);
  out(`${answer.cycleId}: ${answer.decision} by ${answer.by} at ${answer.at}`);
  if (ui) out(`ui: ${ui}`);
}

export function registerApprovalCommands(program: Command): void {
  registerDecision(program, approveUpdate);
  registerDecision(program, rejectUpdate);
}
