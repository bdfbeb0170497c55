import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ApprovalAnswer } from '../contracts/training-cycle.js';

const FLYWHEEL_BIN = fileURLToPath(new URL('../../bin/flywheel.js', import.meta.url));

/** The command line the scripted human types (printed by the demo, run verbatim). */
export function approveCommand(modelId: string, by: string, comment: string): string[] {
  return ['approve', modelId, '--as', by, '--comment', comment, '--json'];
}

/**
 * The scripted human: runs the real `flywheel approve <model> --as <user> --comment …`
 * binary against the demo's Temporal server. The CLI finds the cycle waiting for approval
 * and sends the `approve` update; the workflow's answer (or refusal) comes back.
 */
export async function approveWithCli(address: string, args: string[]): Promise<ApprovalAnswer> {
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [FLYWHEEL_BIN, ...args], {
        env: { ...process.env, TEMPORAL_ADDRESS: address },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '',
        stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    },
  );
  if (code !== 0)
    throw new Error(
      `flywheel ${args[0]} exited with ${code}: ${(stderr || stdout).trim().split('\n').slice(-3).join(' ')}`,
    );
  return JSON.parse(stdout) as ApprovalAnswer;
}
