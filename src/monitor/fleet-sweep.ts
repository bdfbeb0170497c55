import { Context, log } from '@temporalio/activity';
import type { FlywheelClient } from '../clients/flywheel-client.js';
import {
  sweepPlanQuery,
  type FleetMonitorActivities,
  type SweepDelivery,
  type SweepPlanEntry,
  type SweepShardInput,
  type SweepShardResult,
} from '../contracts/fleet-monitor.js';
import { driftAlertSignal, performanceReportSignal } from '../contracts/model-flywheel.js';
import { inspectionInput } from '../contracts/production-monitor.js';
import { isDue, verdictKey, type MonitorFinding, type MonitorSignal } from '../domain/monitor/index.js';
import type { InspectProductionInput } from './inspection-input.js';

/** A kept finding lists at most this many feature verdicts (the drifted ones first): shard state stays small. */
const KEPT_FEATURES = 20;
const HEARTBEAT_EVERY = 25;

export interface FleetSweepDeps {
  /** Signals flywheels and reads the shard's plan (a query: nothing enters history). */
  flywheels: FlywheelClient;
  /**
   * One production check of one model: the `inspectProduction` activity's function, which
   * also hands each finding to the worker's metrics exporter (src/metrics/monitor-metrics.ts).
   */
  inspect(input: InspectProductionInput): Promise<MonitorFinding>;
  now?: () => number;
}

function sendSignal(flywheels: FlywheelClient, modelId: string, s: MonitorSignal): Promise<void> {
  return s.signal === driftAlertSignal.name
    ? flywheels.signal(driftAlertSignal, modelId, s.payload)
    : flywheels.signal(performanceReportSignal, modelId, s.payload);
}

/** A finding as the shard keeps it: drifted features first, at most KEPT_FEATURES verdicts. */
function kept(finding: MonitorFinding): MonitorFinding {
  if (!finding.drift || finding.drift.features.length <= KEPT_FEATURES) return finding;
  const features = [...finding.drift.features].sort((a, b) => Number(b.drifted) - Number(a.drifted));
  return { ...finding, drift: { ...finding.drift, features: features.slice(0, KEPT_FEATURES) } };
}

/**
 * The fleet monitor's batch activity. It reads its shard's plan, checks every model due in
 * the sweep's span with the same check the per-model monitor ran, signals the flywheels of
 * the models with findings (a flywheel that is not running is noted on the finding, as
 * before), and returns only what is new: a finding whose verdict changed or that signalled,
 * and the checks that failed. A healthy model checked again returns nothing.
 */
export function createFleetSweepActivities(deps: FleetSweepDeps): FleetMonitorActivities {
  const now = deps.now ?? Date.now;

  async function checkOne(entry: SweepPlanEntry, result: SweepShardResult): Promise<void> {
    const { modelId } = entry;
    let finding: MonitorFinding;
    try {
      finding = await deps.inspect(
        inspectionInput(modelId, entry.settings, entry.floors, entry.lastSignals, entry.drift),
      );
    } catch (error) {
      result.failures.push({ modelId, error: (error as Error).message.slice(0, 500) });
      return;
    }
    for (const s of finding.signals) {
      const delivery: SweepDelivery = { modelId, signal: s.signal, atMs: finding.atMs };
      try {
        await sendSignal(deps.flywheels, modelId, s);
        log.info('signalled the flywheel', { modelId, signal: s.signal, score: s.payload.score });
      } catch (error) {
        delivery.error = (error as Error).message.slice(0, 300);
        finding.summary = `${finding.summary}; ${s.signal} not delivered: ${delivery.error}`;
        log.warn('could not signal the flywheel', { modelId, signal: s.signal, error: delivery.error });
      }
      result.deliveries.push(delivery);
    }
    if (finding.signals.length > 0 || verdictKey(finding) !== entry.verdict) result.reports.push(kept(finding));
  }

  return {
    async sweepMonitorShard(input: SweepShardInput): Promise<SweepShardResult> {
      const startedAt = now();
      const plan = await deps.flywheels.client.workflow
        .getHandle(input.shardWorkflowId)
        .query(sweepPlanQuery.definition);
      const due = plan.entries.filter((e) =>
        isDue(e.settings.intervalMs, e.requestedAtMs, plan.shardKey, input.fromMs, input.toMs),
      );
      const result: SweepShardResult = { checked: 0, failures: [], reports: [], deliveries: [], durationMs: 0 };
      for (const entry of due) {
        if (result.checked % HEARTBEAT_EVERY === 0) Context.current().heartbeat({ checked: result.checked });
        await checkOne(entry, result);
        result.checked++;
      }
      result.durationMs = now() - startedAt;
      log.info('fleet monitor sweep', {
        shard: input.shardWorkflowId,
        models: plan.entries.length,
        checked: result.checked,
        failed: result.failures.length,
        reported: result.reports.length,
        signalled: result.deliveries.length,
        durationMs: result.durationMs,
      });
      return result;
    },
  };
}
