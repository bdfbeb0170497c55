/** Where the Temporal server's PostgreSQL is and who it connects as. */
export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** Every port the four Temporal services bind (all on 127.0.0.1). */
export interface TemporalServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

export const TEMPORAL_DATABASES = { default: 'temporal', visibility: 'temporal_visibility' } as const;

const datastore = (pg: PostgresEndpoint, databaseName: string, maxConns: number) => ({
  sql: {
    pluginName: 'postgres12',
    databaseName,
    connectAddr: `${pg.host}:${pg.port}`,
    connectProtocol: 'tcp',
    user: pg.user,
    password: pg.password,
    maxConns,
    maxIdleConns: maxConns,
    maxConnLifetime: '1h',
  },
});

const service = (grpcPort: number, membershipPort: number, extra: Record<string, unknown> = {}) => ({
  rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
});

/**
 * The server's static config (written as JSON, which YAML reads): PostgreSQL persistence and
 * visibility (`postgres12`), 4 history shards, the four services on loopback, one active
 * cluster whose rpc address is the frontend, no archival, no metrics or pprof listeners.
 * Shaped after the module's own config/development-postgres12.yaml.
 */
export function temporalServerConfig(pg: PostgresEndpoint, ports: TemporalServerPorts, dynamicConfigFile: string) {
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: {
        'postgres-default': datastore(pg, TEMPORAL_DATABASES.default, 20),
        'postgres-visibility': datastore(pg, TEMPORAL_DATABASES.visibility, 4),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: service(ports.frontend, ports.frontendMembership, { httpPort: ports.frontendHttp }),
      history: service(ports.history, ports.historyMembership),
      matching: service(ports.matching, ports.matchingMembership),
      worker: service(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}

/** Dynamic config: updates on (approval is an update), and the id length the dev server allows. */
export const TEMPORAL_DYNAMIC_CONFIG = {
  'frontend.enableUpdateWorkflowExecution': [{ value: true }],
  'frontend.enableExecuteMultiOperation': [{ value: true }],
  'limit.maxIDLength': [{ value: 255 }],
  // Priority matching (off by default in 1.29): see DEV_SERVER_DISPATCH_CONFIG.
  'matching.useNewMatcher': [{ value: true }],
};
