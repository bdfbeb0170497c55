export * from './serving-state.js';
export { SqliteServingState, type SqliteServingStateOptions, type GatewayLogEntry } from './sqlite/sqlite-serving-state.js';
export { PredictionLogBuffer, type PredictionLogBufferOptions } from './prediction-log-buffer.js';
