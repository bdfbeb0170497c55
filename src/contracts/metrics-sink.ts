import type { Sinks } from '@temporalio/workflow';

/**
 * What workflows report for the flywheel's Prometheus metrics. Workflows cannot do I/O, so
 * they call this sink (`proxySinks`); the worker that runs them implements it over its
 * prom-client registry (src/metrics/flywheel-metrics.ts). The worker does not call a sink
 * while a workflow replays, so a replay after a restart or a cache eviction counts nothing
 * twice; sink calls are not commands, so histories and their replay are unchanged.
 */
// A type alias, not an interface: the SDK's Sink is an index signature, which an interface does not satisfy.
export type FlywheelMetricsSink = {
  cycleStarted(model: string, trigger: string): void;
  cycleFinished(model: string, trigger: string, outcome: string, durationSeconds: number): void;
  /** Triggers waiting to become a cycle, and cycles the retrain budget still allows in its window. */
  triggerState(model: string, pendingTriggers: number, budgetLeft: number): void;
  approvalOpened(model: string): void;
  approvalAnswered(model: string, decision: string, waitSeconds: number): void;
};

/** The sinks ct-flywheel's workers register, by the name workflows proxy them under. */
export interface CtSinks extends Sinks {
  ctMetrics: FlywheelMetricsSink;
}
