export * from '../domain/monitor/index.js';
export * from './decide-signals.js';
