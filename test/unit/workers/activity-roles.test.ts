import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/connection-config.js';
import { TASK_QUEUE_ENV, taskQueueConfigFromEnv } from '../../../src/config/task-queue-config.js';
import {
  ACTIVITY_ROLES,
  activitiesOf,
  WorkerRole,
  type WorkerActivities,
} from '../../../src/workers/activity-roles.js';
import { workerConfigFromEnv } from '../../../src/workers/worker-config.js';

const noop = async () => undefined;
const some = {
  trainModel: noop,
  snapshotData: noop,
  setRouting: noop,
  signalFlywheelRetrain: noop,
} as unknown as Partial<WorkerActivities>;

describe('activity roles', () => {
  it('puts training on the training workers and everything else on orchestration', () => {
    expect(Object.keys(activitiesOf(WorkerRole.training, some))).toEqual(['trainModel']);
    expect(Object.keys(activitiesOf(WorkerRole.orchestration, some)).sort()).toEqual([
      'setRouting',
      'signalFlywheelRetrain',
      'snapshotData',
    ]);
    expect(
      Object.entries(ACTIVITY_ROLES)
        .filter(([, role]) => role === WorkerRole.training)
        .map(([name]) => name),
    ).toEqual(['trainModel']);
  });

  it('refuses an activity without a role instead of registering it nowhere', () => {
    const stray = { ...some, noop } as unknown as Partial<WorkerActivities>;
    expect(() => activitiesOf(WorkerRole.orchestration, stray)).toThrow('no worker role for activity noop');
  });
});

describe('task queue config', () => {
  it('is the same for the workers and flywheel start: both read CT_ORCHESTRATION_TASK_QUEUE and CT_TRAINING_TASK_QUEUE', () => {
    const env = {
      [TASK_QUEUE_ENV.orchestrationTaskQueue]: 'orch-b',
      [TASK_QUEUE_ENV.trainingTaskQueue]: 'gpu-a',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
    };
    const workers = workerConfigFromEnv(env);
    expect(taskQueueConfigFromEnv(env)).toEqual({
      orchestrationTaskQueue: workers.orchestrationTaskQueue,
      trainingTaskQueue: workers.trainingTaskQueue,
    });
    expect(taskQueueConfigFromEnv({})).toEqual({
      orchestrationTaskQueue: 'ct-orchestration',
      trainingTaskQueue: 'ct-training',
    });
  });

  it('names the variable of a queue name the server would refuse', () => {
    const call = () => taskQueueConfigFromEnv({ CT_TRAINING_TASK_QUEUE: 'q'.repeat(201) });
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(/CT_TRAINING_TASK_QUEUE/);
  });
});
