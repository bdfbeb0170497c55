// Workflow of the training heartbeat e2e test: one `trainModel` call with the production
// retry policy and timeouts (`trainingActivity`), on the training queue the test names.
import { proxyActivities } from '@temporalio/workflow';
import type {
  TrainModelInput,
  TrainResult,
  createTrainingActivities,
} from '../../src/activities/training-activities.js';
import { trainingActivity } from '../../src/workflows/shared/activity-options.js';

export async function trainOnce(
  input: TrainModelInput,
  taskQueue: string,
  heartbeatTimeout: string,
): Promise<TrainResult> {
  const { trainModel } = proxyActivities<ReturnType<typeof createTrainingActivities>>({
    ...trainingActivity,
    heartbeatTimeout,
    taskQueue,
  });
  return trainModel(input);
}
