import type { FlywheelClient } from '../clients/flywheel-client.js';
import type { MonitorSettingsInput, ProductionMonitorInput } from '../contracts/production-monitor.js';
import type { ModelSpec } from '../domain/model-spec/model-spec.js';

/**
 * Starts the production monitor of a model (`flywheel:<id>:monitor`) with the spec's
 * trigger floors as its thresholds and its drift test settings, on the client's task queue.
 * Idempotent: a monitor already running for the model is left as it is (send
 * `updateMonitorSettings` to change it).
 * @returns the workflow id and whether this call started it
 */
export function startProductionMonitor(
  flywheels: FlywheelClient,
  spec: ModelSpec,
  settings: MonitorSettingsInput = {},
): Promise<{ workflowId: string; started: boolean }> {
  const { alpha, psiThreshold, compatibility, methods } = spec.validation.drift;
  const input: ProductionMonitorInput = {
    modelId: spec.id,
    floors: { drift: spec.trigger.floors.drift, performance: spec.trigger.floors.performance },
    settings,
    drift: { alpha, psiThreshold, compatibility, methods },
  };
  return flywheels.startMonitor(input);
}
