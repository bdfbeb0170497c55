import { describe, expect, it } from 'vitest';
import { servingStateConfigFromEnv } from '../../../src/config/serving-state-config.js';

describe('serving-state config from the environment', () => {
  it('defaults to the embedded SQLite file and selects PostgreSQL by kind and URL', () => {
    expect(servingStateConfigFromEnv({})).toEqual({ kind: 'sqlite' });
    expect(
      servingStateConfigFromEnv({
        CT_SERVING_STATE: 'postgres',
        CT_SERVING_STATE_URL: 'postgres://ct@127.0.0.1:5432/serving',
      }),
    ).toEqual({ kind: 'postgres', url: 'postgres://ct@127.0.0.1:5432/serving' });
  });

  it('refuses a missing or wrong URL and an unknown kind, naming the variable', () => {
    expect(() => servingStateConfigFromEnv({ CT_SERVING_STATE: 'postgres' })).toThrow(/url \(CT_SERVING_STATE_URL\)/);
    expect(() =>
      servingStateConfigFromEnv({ CT_SERVING_STATE: 'postgres', CT_SERVING_STATE_URL: 'http://127.0.0.1:5432/x' }),
    ).toThrow(/CT_SERVING_STATE_URL\): must be a postgres:\/\//);
    expect(() => servingStateConfigFromEnv({ CT_SERVING_STATE: 'mysql' })).toThrow(/kind \(CT_SERVING_STATE\)/);
    expect(() => servingStateConfigFromEnv({ CT_SERVING_STATE_URL: 'postgres://127.0.0.1/x' })).toThrow(
      /set CT_SERVING_STATE=postgres/,
    );
  });
});
