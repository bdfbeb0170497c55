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
  /** Add {@link DEV_SERVER_DISPATCH_CONFIG} (default true; the task-latency bench turns it off to measure the server's own defaults). */
  dispatch?: boolean;
}

/**
 * Dispatch settings of every dev server the project starts, measured by
 * `npx tsx scripts/bench/task-latency.ts` (README, "Performance").
 *
 * The dev server has one history shard, and each history queue reads its tasks at most
 * 20 times a second per shard (`*MaxPollRPS`). Every activity round trip needs two
 * transfer tasks (the activity task, then the workflow task that follows its result), so
 * on one shard each waited for the reader's next token: ≈ 40 ms before every task, ≈ 100 ms
 * per activity at any load. A cluster spreads workflows over hundreds of shards and never
 * meets this limit; the dev server meets it with the first workflow. Eager activity
 * dispatch (off by default on the server, requested by the SDK) hands an activity on the
 * workflow's own queue back with the workflow task's completion, skipping matching.
 *
 * The priority-enabled matcher (`matching.useNewMatcher`) is off by default in server 1.29
 * (the CLI's dev server and our cluster), and without it matching ignores task priority: the
 * cycles' lower `priorityKey` (domain/task-priority.ts) would not put a flywheel's decision
 * ahead of a backlog of cycle tasks.
 */
export const DEV_SERVER_DISPATCH_CONFIG: Readonly<Record<string, unknown>> = {
  'history.transferProcessorMaxPollRPS': 1000,
  'history.timerProcessorMaxPollRPS': 1000,
  'history.visibilityProcessorMaxPollRPS': 1000,
  'system.enableActivityEagerExecution': true,
  'matching.useNewMatcher': true,
};

/** Arguments for `temporal server start-dev` with the project's search attributes registered. */
export function devServerArgs(opts: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--log-level', 'warn'];
  args.push(...(opts.uiPort ? ['--ui-port', String(opts.uiPort)] : ['--headless']));
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.namespace && opts.namespace !== 'default') args.push('--namespace', opts.namespace);
  for (const pair of searchAttributeCliPairs()) args.push('--search-attribute', pair);
  const dynamicConfig = { ...(opts.dispatch === false ? {} : DEV_SERVER_DISPATCH_CONFIG), ...opts.dynamicConfig };
  for (const [key, value] of Object.entries(dynamicConfig)) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  return args;
}
