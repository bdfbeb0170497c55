import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { clientConnectionOptions } from '../config/connect.js';
import { ConfigError, connectionConfigFromEnv, type ConnectionConfig } from '../config/connection-config.js';
import { DATA_DIR_ENV } from '../config/data-dir.js';
import { CliError, unreachable } from './cli-errors.js';

/** Options every command accepts (set on the root program). */
export interface GlobalOptions {
  address?: string;
  namespace?: string;
  dataDir?: string;
}

/** Environment variable naming the data directory (registry/, snapshots/, serving.db): the workers' own. */
export { DATA_DIR_ENV };
/** Environment variable overriding the Web UI base URL used in printed links. */
export const UI_URL_ENV = 'TEMPORAL_UI_URL';

export interface CliContext {
  config: ConnectionConfig;
  dataDir: string;
  /** Base URL of the Temporal Web UI, when one can be inferred. */
  uiUrl: string | undefined;
}

/**
 * Reads the connection config once, at the edge: flags override the environment
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS and API key variables). A bad value fails
 * fast with the field named.
 */
export function resolveContext(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): CliContext {
  const merged = {
    ...env,
    ...(opts.address !== undefined ? { TEMPORAL_ADDRESS: opts.address } : {}),
    ...(opts.namespace !== undefined ? { TEMPORAL_NAMESPACE: opts.namespace } : {}),
  };
  let config: ConnectionConfig;
  try {
    config = connectionConfigFromEnv(merged);
  } catch (err) {
    if (err instanceof ConfigError) {
      throw new CliError(
        err.message
          .replace('(TEMPORAL_ADDRESS)', '(--address or TEMPORAL_ADDRESS)')
          .replace('(TEMPORAL_NAMESPACE)', '(--namespace or TEMPORAL_NAMESPACE)'),
      );
    }
    throw err;
  }
  const dataDir = path.resolve(opts.dataDir ?? env[DATA_DIR_ENV] ?? '.data');
  return { config, dataDir, uiUrl: inferUiUrl(config, env) };
}

/** The dev server serves its UI on gRPC port + 1000; Temporal Cloud has one UI; elsewhere only TEMPORAL_UI_URL tells. */
function inferUiUrl(config: ConnectionConfig, env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env[UI_URL_ENV];
  if (fromEnv) return fromEnv.replace(/\/$/, '');
  const [host = '', port = ''] = config.address.split(':');
  if (host.endsWith('.tmprl.cloud')) return 'https://cloud.temporal.io';
  if (host === '127.0.0.1' || host === 'localhost') return `http://${host}:${Number(port) + 1000}`;
  return undefined;
}

/** Link to a workflow in the Web UI, or undefined when the UI address is unknown. */
export function workflowLink(ctx: CliContext, workflowId: string): string | undefined {
  if (!ctx.uiUrl) return undefined;
  return `${ctx.uiUrl}/namespaces/${encodeURIComponent(ctx.config.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** Runs `fn` with a connected client and always closes the connection, so the process can exit. */
export async function withClient<T>(ctx: CliContext, fn: (client: Client) => Promise<T>): Promise<T> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...clientConnectionOptions(ctx.config), connectTimeout: 5_000 });
  } catch (err) {
    throw unreachable(ctx.config.address, err);
  }
  try {
    return await fn(new Client({ connection, namespace: ctx.config.namespace }));
  } finally {
    await connection.close();
  }
}
