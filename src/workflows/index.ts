// Every workflow the orchestration worker registers (its `workflowsPath`).
export { modelFlywheel } from './model-flywheel/model-flywheel-workflow.js';
export { trainingCycle } from './training-cycle/training-cycle-workflow.js';
export { rollout } from './rollout/rollout-workflow.js';
export { scheduledRetrain } from './scheduled-retrain/scheduled-retrain-workflow.js';
export { productionMonitor } from './production-monitor/production-monitor-workflow.js';
export { fleetMonitor } from './fleet-monitor/fleet-monitor-workflow.js';
