export * from './data-source-config.js';
export * from './model-spec.js';
export * from './trainer-config.js';
export * from './serving-policy.js';
export * from './request-checks.js';
