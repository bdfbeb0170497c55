export * from './ids.js';
export * from './stages.js';
export * from './model-version.js';
export * from './routing.js';
export * from './live-metrics.js';
export * from './snapshot-ref.js';
