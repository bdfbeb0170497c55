import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Command } from 'commander';
import { loadModelSpec } from '../../adapters/spec-loader.js';
import type { PolicyChange } from '../../domain/flywheel/policy-change.js';
import { ModelSpecError } from '../../domain/model-spec/model-spec.js';
import { FlywheelClient } from '../../clients/flywheel-client.js';
import type { PolicyUpdatePayload } from '../../contracts/model-flywheel.js';
import { withClient, workflowLink } from '../cli-context.js';
import { CliError } from '../cli-errors.js';
import { findRunningFlywheel, parseModelId, type FlywheelTarget } from '../flywheel-target.js';
import { out, outJson } from '../format/output.js';
import { contextOf, withExamples } from './command-kit.js';
import { registerPolicyShow } from './policy-show-command.js';

/** How long the update may wait for a worker to accept it before we say none is running. */
const UPDATE_DEADLINE_MS = 30_000;

interface PolicyOptions {
  spec?: string;
  replace?: boolean;
  trigger?: string;
  approval?: string;
  rollout?: string;
  as?: string;
  reason?: string;
  json?: boolean;
}

/** A policy flag's JSON object; the flywheel's validator judges its fields. */
function jsonObject(flag: string, raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new CliError(
      `${flag}: not valid JSON (${(err as Error).message}); pass an object, e.g. ${flag} '{"cooldownMs":"1h"}'`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CliError(`${flag}: expected a JSON object, e.g. ${flag} '{"cooldownMs":"1h"}'`);
  return value as Record<string, unknown>;
}

/** The update payload from the flags. Field checks are left to the workflow: only it knows the spec in force. */
async function payloadOf(modelId: string, opts: PolicyOptions): Promise<PolicyUpdatePayload> {
  const policies = {
    trigger: jsonObject('--trigger', opts.trigger),
    approval: jsonObject('--approval', opts.approval),
    rollout: jsonObject('--rollout', opts.rollout),
  };
  if (!opts.spec && !policies.trigger && !policies.approval && !policies.rollout)
    throw new CliError('Nothing to change: pass --spec <file> and/or --trigger, --approval, --rollout (JSON objects)');
  const spec = opts.spec ? await loadSpec(opts.spec, modelId) : undefined;
  // Sections merge into the spec in force unless --replace: the workflow lays them over its own spec, atomically.
  const merge = opts.replace ? undefined : true;
  const fields = { ...policies, spec, merge, by: opts.as, reason: opts.reason };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as PolicyUpdatePayload;
}

async function loadSpec(file: string, modelId: string): Promise<Record<string, unknown>> {
  const spec = await loadModelSpec(file).catch((err: unknown) => {
    throw err instanceof ModelSpecError ? new CliError(err.message.replace(/\n\s*/g, '; ')) : err;
  });
  if (spec.id !== modelId)
    throw new CliError(
      `--spec ${file} is the spec of "${spec.id}", not "${modelId}": pass the file of ${modelId}, or use flywheel start for another model`,
    );
  return spec as unknown as Record<string, unknown>;
}

/** Runs the update; a refusal by the validator becomes one line, a silent worker a hint. */
async function execute(
  client: Client,
  { modelId, workflowId }: FlywheelTarget,
  payload: PolicyUpdatePayload,
): Promise<PolicyChange> {
  // Without a worker the server holds the update unanswered: our own deadline says so.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), UPDATE_DEADLINE_MS);
  try {
    return await client.withAbortSignal(deadline.signal, () =>
      new FlywheelClient(client).updatePolicy(modelId, payload),
    );
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError)
      throw new CliError(`Refused by ${workflowId}: ${err.cause?.message ?? err.message}`);
    if (deadline.signal.aborted) {
      throw new CliError(
        `No worker accepted the update of ${workflowId} within ${UPDATE_DEADLINE_MS / 1000} s: is an orchestration worker running (\`flywheel up\`)? It may still apply when one starts; check flywheel status.`,
      );
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

function printChange(workflowId: string, change: PolicyChange, ui: string | undefined): void {
  if (change.outcome === 'unchanged')
    out(`${workflowId}: unchanged, spec revision ${change.specRevision} already has this policy`);
  else out(`${workflowId}: spec revision ${change.specRevision} (changed: ${change.changed.join(', ')})`);
  if (change.decision) out(`decision: ${change.decision.action}: ${change.decision.reason}`);
  if (ui) out(`ui: ${ui}`);
  out(`the spec in force: flywheel policy show ${change.modelId}`);
}

/** `flywheel policy <model>`: the `updatePolicy` update; prints what changed or the validator's refusal. */
export function registerPolicy(program: Command): void {
  const cmd = program
    .command('policy')
    .description(
      "change a running flywheel's policies or whole spec (an update: the workflow answers what changed, or refuses naming the bad field)",
    )
    .argument('<model>', 'model id')
    .option(
      '--spec <file>',
      'replace the whole spec with this file (YAML/JSON, validated here first; its id must be <model>)',
    )
    .option(
      '--trigger <json>',
      'trigger policy fields to change (debounceMs, cooldownMs, floors, budget); the others keep their values',
    )
    .option('--approval <json>', 'approval policy fields to change (mode, approvers, timeoutMs, onTimeout)')
    .option(
      '--rollout <json>',
      'rollout policy fields to change (steps, guards, thinTraffic, …); a different strategy replaces the section',
    )
    .option('--replace', 'each section given replaces the one in force: fields left out take their defaults')
    .option('--as <user>', 'who changes it (kept in the answer)')
    .option('--reason <text>', 'why (kept in the answer)')
    .option('--json', 'print the answer { modelId, outcome, specRevision, changed, decision, … } as JSON')
    .action(async (model: string, opts: PolicyOptions, command: Command) => {
      const ctx = contextOf(command);
      const modelId = parseModelId(model);
      const payload = await payloadOf(modelId, opts);
      const { workflowId, change } = await withClient(ctx, async (client) => {
        const target = await findRunningFlywheel(client, modelId);
        return { workflowId: target.workflowId, change: await execute(client, target, payload) };
      });
      const ui = workflowLink(ctx, workflowId);
      if (opts.json) return outJson({ workflowId, ...change, ...(ui ? { ui } : {}) });
      printChange(workflowId, change, ui);
    });
  cmd.addHelpText(
    'after',
    `
Sections merge: --trigger '{"cooldownMs":"2h"}' changes the cooldown and keeps the debounce, floors
and budget in force. Objects merge field by field; lists (canary steps, approvers) are replaced
whole; a --rollout with another "strategy" replaces the rollout section. --replace gives each
section given exactly as written, defaults for the rest. Print the spec in force with
flywheel policy show <model>.`,
  );
  registerPolicyShow(cmd);
  withExamples(cmd, [
    `flywheel policy fraud-sea --trigger '{"cooldownMs":"2h","floors":{"drift":0.25}}' --as ana --reason "noisier feed"`,
    `flywheel policy fraud-sea --approval '{"mode":"manual","approvers":["risk-lead@example.com"]}'`,
    'flywheel policy fraud-sea --spec examples/fraud-sea.yaml --json',
  ]);
}
