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
