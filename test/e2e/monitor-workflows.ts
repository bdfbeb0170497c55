// Workflows of the monitor e2e test: the monitor and the real flywheel it signals.
export { productionMonitor } from '../../src/workflows/production-monitor/production-monitor-workflow.js';
export { modelFlywheel } from '../../src/workflows/model-flywheel/model-flywheel-workflow.js';
