import type { FlywheelClient } from '../clients/flywheel-client.js';
import type { MonitorSettingsInput, ProductionMonitorInput } from '../contracts/production-monitor.js';
import type { ModelSpec } from '../domain/model-spec/model-spec.js';

/**
 * Starts watching a model in production on its fleet monitor shard, with the spec's trigger
 * floors as its thresholds and its drift test settings, on the client's task queue.
 * Idempotent: a model already watched keeps its settings (send `updateMonitorSettings` to
 * change them); a per-model monitor from before is migrated (FlywheelClient.startMonitor).
 * @returns the shard's workflow id, and the per-model monitor it replaced if any
 */
export function startProductionMonitor(
  flywheels: FlywheelClient,
  spec: ModelSpec,
  settings: MonitorSettingsInput = {},
): Promise<{ workflowId: string; migratedFrom?: string }> {
  const { alpha, psiThreshold, compatibility, methods } = spec.validation.drift;
  const input: ProductionMonitorInput = {
    modelId: spec.id,
    floors: { drift: spec.trigger.floors.drift, performance: spec.trigger.floors.performance },
    settings: { referenceAfterPromotion: spec.monitor.referenceAfterPromotion, ...settings },
    drift: { alpha, psiThreshold, compatibility, methods },
  };
  return flywheels.startMonitor(input);
}
