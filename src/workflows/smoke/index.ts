// Workflow bundle entry for the smoke workflows (pass this file as `workflowsPath`).
export { smokeRoundTrip, smokeLongSleep } from './smoke-workflows.js';
