import type { Client } from '@temporalio/client';
import type { FlywheelClientActivities } from '../workflows/activity-types.js';
import { signalRetrain } from './start-flywheel.js';

/**
 * Activities that act as a Temporal client (workflows cannot signal-with-start). Run on
 * the orchestration worker, which owns a client connection.
 */
export function createFlywheelClientActivities(deps: { client: Client; flywheelTaskQueue?: string }): FlywheelClientActivities {
  return {
    async signalFlywheelRetrain({ modelId, scheduleId, spec }) {
      const workflowId = await signalRetrain(deps.client, modelId, { scheduleId, source: `schedule:${scheduleId}` }, spec, deps.flywheelTaskQueue);
      return { workflowId };
    },
  };
}
