import { searchAttributeCliPairs } from '../domain/search-attributes.js';

export interface DevServerOptions {
  port: number;
  /** Web UI port; omitted means headless (tests). */
  uiPort?: number;
  /** SQLite file; omitted means in-memory (state dies with the process). */
  dbFile?: string;
  namespace?: string;
  /** Extra `--dynamic-config-value KEY=JSON`, e.g. { 'limit.historyCount.suggestContinueAsNew': 40 }. */
  dynamicConfig?: Record<string, unknown>;
}

/** Arguments for `temporal server start-dev` with the project's search attributes registered. */
export function devServerArgs(opts: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'warn'];
  args.push(...(opts.uiPort ? ['--ui-port', String(opts.uiPort)] : ['--headless']));
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.namespace && opts.namespace !== 'default') args.push('--namespace', opts.namespace);
  for (const pair of searchAttributeCliPairs()) args.push('--search-attribute', pair);
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  return args;
}
