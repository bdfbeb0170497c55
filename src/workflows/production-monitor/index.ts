export { productionMonitor } from './production-monitor-workflow.js';
