import { LocalModelRegistry } from './local/local-model-registry.js';
import { MlflowModelRegistry } from './mlflow/mlflow-model-registry.js';
import type { ModelRegistry } from './model-registry.js';

/** Which registry to open: the shape of the `registry` config (src/config/registry-config.ts). */
export type RegistryChoice = { readonly kind: 'local' } | { readonly kind: 'mlflow'; readonly trackingUri: string };

/**
 * Opens the configured registry: `local` in `localRoot` (`<dataDir>/registry`, the embedded default),
 * `mlflow` on its tracking server. `close()` releases what the registry holds.
 */
export function openModelRegistry(choice: RegistryChoice, localRoot: string): ModelRegistry & { close(): void } {
  return choice.kind === 'mlflow'
    ? new MlflowModelRegistry({ trackingUri: choice.trackingUri })
    : new LocalModelRegistry({ root: localRoot });
}
