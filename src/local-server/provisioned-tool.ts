import { isExecutable } from './find-on-path.js';
import { ProvisionError } from './provision-error.js';

/** Where a provisioned tool came from, for the one-line provisioning report. */
export type ToolSource = 'env' | 'path' | 'cache' | 'built';

export interface ProvisionedTool {
  path: string;
  source: ToolSource;
  /** Milliseconds spent building/resolving it (0 unless source is 'built'). */
  buildMs: number;
}

/** Prints provisioning progress on stdout; scripts and globalSetup share the format. */
export function say(line: string): void {
  process.stdout.write(`[provision] ${line}\n`);
}

/** One line saying where a tool was found (or how long it took to build). */
export function describeTool(name: string, tool: ProvisionedTool): string {
  const how = {
    env: 'from env var',
    path: 'found on PATH',
    cache: 'found in cache',
    built: `built in ${(tool.buildMs / 1000).toFixed(1)} s`,
  }[tool.source];
  return `${name}: ${tool.path} (${how})`;
}

/**
 * The first step of every lookup: an explicit path in `envVar` wins, and a wrong one is an
 * error (silently falling back would run a tool the user did not ask for).
 */
export function toolFromEnv(envVar: string, env: NodeJS.ProcessEnv): ProvisionedTool | undefined {
  const fromEnv = env[envVar];
  if (!fromEnv) return undefined;
  if (!isExecutable(fromEnv))
    throw new ProvisionError(`${envVar}=${fromEnv} is not an executable file. Fix the path or unset it.`);
  return { path: fromEnv, source: 'env', buildMs: 0 };
}
