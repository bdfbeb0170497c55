import type { Client } from '@temporalio/client';
import { FlywheelClient } from '../clients/flywheel-client.js';
import { retrainRequestedSignal } from '../contracts/model-flywheel.js';
import type { FlywheelClientActivities } from '../contracts/scheduled-retrain.js';

/**
 * Activities that act as a Temporal client (workflows cannot signal-with-start). Run on
 * the orchestration worker, which owns a client connection. A schedule may fire before
 * the flywheel runs: it is then started (without a spec, if the schedule has none) on
 * `flywheelTaskQueue`, its cycles on `flywheelOptions.cycleTaskQueue` (if set) training on
 * `flywheelOptions.trainingTaskQueue`.
 */
export function createFlywheelClientActivities(deps: {
  client: Client;
  flywheelTaskQueue?: string;
  flywheelOptions?: { trainingTaskQueue?: string; cycleTaskQueue?: string };
}): FlywheelClientActivities {
  const flywheels = new FlywheelClient(deps.client, {
    ...(deps.flywheelTaskQueue ? { taskQueue: deps.flywheelTaskQueue } : {}),
    ...(deps.flywheelOptions ? { flywheelOptions: deps.flywheelOptions } : {}),
  });
  return {
    async signalFlywheelRetrain({ modelId, scheduleId, spec }) {
      const handle = await flywheels.send(
        retrainRequestedSignal,
        modelId,
        { scheduleId, source: `schedule:${scheduleId}` },
        spec ? { spec } : {},
      );
      return { workflowId: handle.workflowId };
    },
  };
}
