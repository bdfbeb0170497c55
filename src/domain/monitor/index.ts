export * from './thresholds.js';
export * from './drift-finding.js';
export * from './performance-finding.js';
export * from './estimated-performance.js';
export * from './monitor-finding.js';
export * from './fleet-cadence.js';
export * from './drift-reference.js';
