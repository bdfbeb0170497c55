// Workflows the demo's orchestration worker registers: every flywheel workflow plus the monitor.
// TODO(lead): once src/workflows/index.ts exports productionMonitor, point the worker there.
export * from '../../src/workflows/index.js';
export { productionMonitor } from '../../src/workflows/production-monitor/production-monitor-workflow.js';
