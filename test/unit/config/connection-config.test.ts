import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientConnectionOptions } from '../../../src/config/connect.js';
import { ConfigError, connectionConfigFromEnv } from '../../../src/config/connection-config.js';

const dir = mkdtempSync(join(tmpdir(), 'ct-config-'));
const certPath = join(dir, 'client.pem');
writeFileSync(certPath, 'not a real cert, only has to exist');

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    connectionConfigFromEnv(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('connection config from env', () => {
  it('defaults to the local dev server without TLS', () => {
    const config = connectionConfigFromEnv({});
    expect(config).toEqual({ address: '127.0.0.1:7233', namespace: 'default', tls: undefined, apiKey: undefined });
    expect(clientConnectionOptions(config).tls).toBeUndefined();
  });

  it('rejects an address without a port, naming the field and env var', () => {
    const err = configError({ TEMPORAL_ADDRESS: 'temporal.example.com' });
    expect(err.message).toContain('address (TEMPORAL_ADDRESS)');
    expect(err.message).toContain('must be host:port');
  });

  it('rejects a TLS client certificate path that does not exist', () => {
    const missing = join(dir, 'missing.pem');
    const err = configError({ TEMPORAL_TLS_CLIENT_CERT_PATH: missing, TEMPORAL_TLS_CLIENT_KEY_PATH: certPath });
    expect(err.message).toContain('tls.clientCertPath (TEMPORAL_TLS_CLIENT_CERT_PATH)');
    expect(err.message).toContain(`file not found: ${missing}`);
  });

  it('rejects a client certificate without its key', () => {
    const err = configError({ TEMPORAL_TLS_CLIENT_CERT_PATH: certPath });
    expect(err.message).toContain('tls.clientKeyPath (TEMPORAL_TLS_CLIENT_KEY_PATH)');
    expect(err.message).toContain('must be given together');
  });

  it('reports every bad field at once', () => {
    const err = configError({ TEMPORAL_ADDRESS: 'nohost', TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'nope-ca.pem') });
    expect(err.message).toContain('TEMPORAL_ADDRESS');
    expect(err.message).toContain('TEMPORAL_TLS_SERVER_CA_CERT_PATH');
  });

  it('turns on TLS with system roots for an API key (Temporal Cloud)', () => {
    const config = connectionConfigFromEnv({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k' });
    expect(config.apiKey).toBe('k');
    expect(clientConnectionOptions(config).tls).toBe(true);
  });
});
