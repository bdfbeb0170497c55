export * from './cycle-report.js';
export * from './flywheel-state.js';
export * from './policy-change.js';
export * from './flywheel-input.js';
export * from './workflow-inputs.js';
