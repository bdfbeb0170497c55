export * from './gate-result.js';
export * from './gate-input.js';
export { decideGate, summarizeRejection } from './decide-gate.js';
