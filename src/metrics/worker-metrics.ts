import { Registry } from 'prom-client';
import { FlywheelMetrics } from './flywheel-metrics.js';
import { MonitorMetrics } from './monitor-metrics.js';
import { registerProcessMetrics } from './process-metrics.js';

/**
 * A worker process's own metrics (the Temporal SDK's are on the Runtime's endpoint): the
 * monitor's findings, the flywheels' cycles (reported by their workflows through the
 * `ctMetrics` sink) and the process.
 */
export interface WorkerMetrics {
  registry: Registry;
  monitor: MonitorMetrics;
  flywheel: FlywheelMetrics;
}

/** `processMetrics: false` where another registry of the process already exports them (`flywheel up`'s gateway). */
export function createWorkerMetrics(options: { processMetrics?: boolean } = {}): WorkerMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) registerProcessMetrics(registry);
  return { registry, monitor: new MonitorMetrics(registry), flywheel: new FlywheelMetrics(registry) };
}
