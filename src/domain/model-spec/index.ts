export * from './data-source-config.js';
export * from './model-spec.js';
export * from './trainer-config.js';
