export * from './cycle-report.js';
export * from './flywheel-state.js';
