export * from './model-registry.js';
export * from './registry-errors.js';
export { LocalModelRegistry, type LocalModelRegistryOptions } from './local/local-model-registry.js';
export { sha256Hex } from './artifact-id.js';
export { MlflowModelRegistry, type MlflowModelRegistryOptions } from './mlflow/mlflow-model-registry.js';
export { openModelRegistry, type RegistryChoice } from './open-model-registry.js';
