// Workflows of the monitor e2e tests: the per-model monitor, the fleet monitor shard and the real flywheel they signal.
export { productionMonitor } from '../../src/workflows/production-monitor/production-monitor-workflow.js';
export { fleetMonitor } from '../../src/workflows/fleet-monitor/fleet-monitor-workflow.js';
export { modelFlywheel } from '../../src/workflows/model-flywheel/model-flywheel-workflow.js';
