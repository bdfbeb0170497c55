// Workflow bundle entry for the smoke workflows (pass this file as `workflowsPath`).
export { smokeRoundTrip, smokeLongSleep, smokeHistoryGrowth } from './smoke-workflows.js';
