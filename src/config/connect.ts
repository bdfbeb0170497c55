import { readFileSync } from 'node:fs';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { ConnectionConfig } from './connection-config.js';

function tlsOptions(config: ConnectionConfig) {
  const tls = config.tls;
  if (!tls && !config.apiKey) return undefined;
  if (!tls) return true; // API key auth (Temporal Cloud) still needs TLS, with system roots.
  return {
    serverNameOverride: tls.serverNameOverride,
    serverRootCACertificate: tls.serverRootCaCertPath ? readFileSync(tls.serverRootCaCertPath) : undefined,
    clientCertPair:
      tls.clientCertPath && tls.clientKeyPath
        ? { crt: readFileSync(tls.clientCertPath), key: readFileSync(tls.clientKeyPath) }
        : undefined,
  };
}

/** Options for a client connection (CLI, webhook, monitor, tests). */
export function clientConnectionOptions(config: ConnectionConfig): ConnectionOptions {
  return { address: config.address, tls: tlsOptions(config), apiKey: config.apiKey };
}

/** Options for a worker's native connection. */
export function workerConnectionOptions(config: ConnectionConfig): NativeConnectionOptions {
  return { address: config.address, tls: tlsOptions(config), apiKey: config.apiKey };
}

export async function connectClient(config: ConnectionConfig): Promise<Connection> {
  return Connection.connect(clientConnectionOptions(config));
}

export async function connectWorker(config: ConnectionConfig): Promise<NativeConnection> {
  return NativeConnection.connect(workerConnectionOptions(config));
}
