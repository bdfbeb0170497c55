import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/connection-config.js';
import { registryConfigFromEnv } from '../../../src/config/registry-config.js';

describe('registry config from the environment', () => {
  it('is the local registry by default, and MLflow with CT_REGISTRY=mlflow and a tracking URI', () => {
    expect(registryConfigFromEnv({})).toEqual({ kind: 'local' });
    expect(registryConfigFromEnv({ CT_REGISTRY: 'mlflow', CT_MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000/' })).toEqual({
      kind: 'mlflow',
      trackingUri: 'http://127.0.0.1:5000',
    });
  });

  it('refuses a missing or bad tracking URI, an unknown kind, and a URI the local registry would ignore, naming the variable', () => {
    const refusal = (env: NodeJS.ProcessEnv) => {
      try {
        registryConfigFromEnv(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refusal({ CT_REGISTRY: 'mlflow' })).toMatch(/trackingUri \(CT_MLFLOW_TRACKING_URI\): Required/);
    expect(refusal({ CT_REGISTRY: 'mlflow', CT_MLFLOW_TRACKING_URI: 'file:///tmp/mlruns' })).toMatch(
      /CT_MLFLOW_TRACKING_URI.*http:\/\/ or https:\/\//,
    );
    expect(refusal({ CT_REGISTRY: 's3' })).toMatch(
      /kind \(CT_REGISTRY\): Invalid discriminator value. Expected 'local' \| 'mlflow'/,
    );
    expect(refusal({ CT_MLFLOW_TRACKING_URI: 'http://127.0.0.1:5000' })).toMatch(
      /CT_MLFLOW_TRACKING_URI is set but CT_REGISTRY is "local": set CT_REGISTRY=mlflow/,
    );
  });
});
