import type { Client } from '@temporalio/client';
import type { FlywheelClientActivities } from '../workflows/activity-types.js';
import { signalRetrain } from './start-flywheel.js';

/**
 * Activities that act as a Temporal client (workflows cannot signal-with-start). Run on
 * the orchestration worker, which owns a client connection.
 */
export function createFlywheelClientActivities(deps: { client: Client; flywheelTaskQueue?: string; trainingTaskQueue?: string }): FlywheelClientActivities {
  return {
    async signalFlywheelRetrain({ modelId, scheduleId, spec }) {
      const queues = { taskQueue: deps.flywheelTaskQueue, trainingTaskQueue: deps.trainingTaskQueue };
      const workflowId = await signalRetrain(deps.client, modelId, { scheduleId, source: `schedule:${scheduleId}` }, spec, queues);
      return { workflowId };
    },
  };
}
