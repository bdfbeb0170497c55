// The workflows `flywheel up` runs on its orchestration worker: every flywheel workflow
// plus the production monitor (not yet exported by src/workflows/index.ts).
export * from '../../workflows/index.js';
export { productionMonitor } from '../../workflows/production-monitor/production-monitor-workflow.js';
