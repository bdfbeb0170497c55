export * from './rollout-plan.js';
export * from './judge-step.js';
export * from './serviceability.js';
