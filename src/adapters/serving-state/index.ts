export * from './serving-state.js';
export { SqliteServingState, type SqliteServingStateOptions } from './sqlite/sqlite-serving-state.js';
export { PredictionLogBuffer, type PredictionLogBufferOptions } from './prediction-log-buffer.js';
export { PostgresServingState, type PostgresServingStateOptions } from './postgres/postgres-serving-state.js';
export { SqliteAlertClaims } from './sqlite/sqlite-alert-claims.js';
