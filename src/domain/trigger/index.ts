export * from './trigger.js';
export * from './trigger-state.js';
export * from './decide-trigger.js';
export * from './from-signals.js';
export * from './harm-policy.js';
export * from './screen-trigger.js';
export * from './batch-removal.js';
