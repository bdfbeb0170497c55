import { proxySinks, workflowInfo } from '@temporalio/workflow';
import type { CtSinks } from '../../contracts/metrics-sink.js';
import type { Flywheel } from '../../domain/flywheel/flywheel-state.js';

const { ctMetrics } = proxySinks<CtSinks>();

/**
 * Watches a flywheel's state and reports what changed since it last looked: cycles started
 * and finished (with their duration), pending triggers and the budget left. Observing state
 * rather than instrumenting each call site means every path that ends a cycle (its result,
 * its cycleFinished signal, a failed start) is counted once. The baseline is the state the
 * run started with, so a continue-as-new carries totals without counting them again.
 */
export class FlywheelMetrics {
  private started: number;
  private finished: number;
  private last = '';

  constructor(private readonly fw: Flywheel) {
    const s = fw.status();
    this.started = s.cyclesStarted;
    this.finished = s.totals.cycles;
  }

  observe(now: number): void {
    const s = this.fw.status();
    const model = s.modelId;
    if (s.cyclesStarted > this.started) {
      const trigger = s.inFlight?.trigger.primary ?? this.fw.triggerState.running?.batch.primary ?? 'unknown';
      for (let i = this.started; i < s.cyclesStarted; i++) ctMetrics.cycleStarted(model, trigger);
      this.started = s.cyclesStarted;
    }
    if (s.totals.cycles > this.finished) {
      for (const c of s.recentCycles.slice(-(s.totals.cycles - this.finished)))
        ctMetrics.cycleFinished(model, c.trigger, c.outcome, Math.max(0, (c.endedAt - c.startedAt) / 1000));
      this.finished = s.totals.cycles;
    }
    // Nothing reaches the worker during a replay: report the gauges again after it, then on change only.
    if (workflowInfo().unsafe.isReplaying) return;
    const pending = s.pending?.count ?? 0;
    const { policy, recentStarts } = this.fw.triggerState;
    const inWindow = recentStarts.filter((t) => t > now - policy.budget.windowMs).length;
    const left = Math.max(0, policy.budget.maxCycles - inWindow);
    if (`${pending}/${left}` !== this.last) ctMetrics.triggerState(model, pending, left);
    this.last = `${pending}/${left}`;
  }
}
