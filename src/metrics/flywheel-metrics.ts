import type { InjectedSinks } from '@temporalio/worker';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CtSinks, FlywheelMetricsSink } from '../contracts/metrics-sink.js';

const HOUR = 3600;

/**
 * The flywheel's metrics, fed by its workflows through the `ctMetrics` sink and exported by
 * the worker that runs them. Gauges hold what the last workflow task on this worker saw: with
 * several orchestration workers, a flywheel that moved to another worker leaves its last
 * value here too, so rules take `max by (model)` and alert with a `for:` longer than a move.
 */
export class FlywheelMetrics implements FlywheelMetricsSink {
  private readonly started: Counter<'model' | 'trigger'>;
  private readonly finished: Counter<'model' | 'trigger' | 'outcome'>;
  private readonly duration: Histogram<'model' | 'outcome'>;
  private readonly pending: Gauge<'model'>;
  private readonly budget: Gauge<'model'>;
  private readonly waiting: Gauge<'model'>;
  private readonly approvalWait: Histogram<'model' | 'decision'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.started = new Counter({
      name: 'ct_flywheel_cycles_started_total',
      help: 'Training cycles flywheels started, by model and trigger (drift, performance, newData, schedule, manual)',
      labelNames: ['model', 'trigger'] as const,
      registers,
    });
    this.finished = new Counter({
      name: 'ct_flywheel_cycles_finished_total',
      help: 'Training cycles that ended, by model, trigger and outcome (promoted, gateRejected, failed, rolledBack, …)',
      labelNames: ['model', 'trigger', 'outcome'] as const,
      registers,
    });
    this.duration = new Histogram({
      name: 'ct_flywheel_cycle_duration_seconds',
      help: 'Start to end of a training cycle, approval and bakes included, by model and outcome',
      labelNames: ['model', 'outcome'] as const,
      buckets: [10, 30, 60, 120, 300, 600, 1800, HOUR, 2 * HOUR, 4 * HOUR, 12 * HOUR, 24 * HOUR, 72 * HOUR],
      registers,
    });
    this.pending = new Gauge({
      name: 'ct_flywheel_pending_triggers',
      help: 'Triggers received and not yet turned into a cycle (debounce, cooldown, budget or pause), by model',
      labelNames: ['model'] as const,
      registers,
    });
    this.budget = new Gauge({
      name: 'ct_flywheel_retrain_budget_left',
      help: "Cycles the trigger policy's retrain budget still allows in its window, by model",
      labelNames: ['model'] as const,
      registers,
    });
    this.waiting = new Gauge({
      name: 'ct_flywheel_approvals_waiting',
      help: 'Cycles of a model waiting for a human approval (1) or not (0)',
      labelNames: ['model'] as const,
      registers,
    });
    this.approvalWait = new Histogram({
      name: 'ct_flywheel_approval_wait_duration_seconds',
      help: 'Time a cycle waited for its approval, by model and decision (approved, rejected, timedOut)',
      labelNames: ['model', 'decision'] as const,
      buckets: [10, 60, 300, 900, 1800, HOUR, 2 * HOUR, 4 * HOUR, 12 * HOUR, 24 * HOUR, 72 * HOUR],
      registers,
    });
  }

  cycleStarted(model: string, trigger: string): void {
    this.started.inc({ model, trigger });
  }
  cycleFinished(model: string, trigger: string, outcome: string, durationSeconds: number): void {
    this.finished.inc({ model, trigger, outcome });
    this.duration.observe({ model, outcome }, durationSeconds);
  }
  triggerState(model: string, pendingTriggers: number, budgetLeft: number): void {
    this.pending.set({ model }, pendingTriggers);
    this.budget.set({ model }, budgetLeft);
  }
  approvalOpened(model: string): void {
    this.waiting.set({ model }, 1);
  }
  approvalAnswered(model: string, decision: string, waitSeconds: number): void {
    this.waiting.set({ model }, 0);
    this.approvalWait.observe({ model, decision }, waitSeconds);
  }
}

/** The worker's `sinks` option: each call goes to `metrics` (none during replay), or nowhere. */
export function metricsSinks(metrics?: FlywheelMetricsSink): InjectedSinks<CtSinks> {
  const call =
    <K extends keyof FlywheelMetricsSink>(name: K) =>
    (_info: unknown, ...args: Parameters<FlywheelMetricsSink[K]>) =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one generic forwarder for five signatures
      void (metrics?.[name] as ((...a: any[]) => void) | undefined)?.apply(metrics, args);
  return {
    ctMetrics: {
      cycleStarted: { fn: call('cycleStarted') },
      cycleFinished: { fn: call('cycleFinished') },
      triggerState: { fn: call('triggerState') },
      approvalOpened: { fn: call('approvalOpened') },
      approvalAnswered: { fn: call('approvalAnswered') },
    },
  };
}
