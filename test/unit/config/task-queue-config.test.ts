import { describe, expect, it } from 'vitest';
import { flywheelQueueOptions, taskQueueConfigFromEnv } from '../../../src/config/task-queue-config.js';
import { parseFlywheelInput } from '../../../src/domain/flywheel/flywheel-input.js';

describe('task queue config: where a flywheel puts its cycles', () => {
  it('leaves cycles on the flywheels’ queue unless CT_CYCLE_TASK_QUEUE names another one', () => {
    expect(flywheelQueueOptions(taskQueueConfigFromEnv({}))).toEqual({ trainingTaskQueue: 'ct-training' });
    const same = { CT_ORCHESTRATION_TASK_QUEUE: 'q', CT_CYCLE_TASK_QUEUE: 'q' };
    expect(flywheelQueueOptions(taskQueueConfigFromEnv(same))).toEqual({ trainingTaskQueue: 'ct-training' });
    expect(flywheelQueueOptions(taskQueueConfigFromEnv({ CT_CYCLE_TASK_QUEUE: 'ct-cycles' }))).toEqual({
      trainingTaskQueue: 'ct-training',
      cycleTaskQueue: 'ct-cycles',
    });
  });

  it('the flywheel keeps the cycle queue its input names, and drops a bad one naming the field', () => {
    const wf = 'flywheel:fraud';
    expect(parseFlywheelInput({ modelId: 'fraud', options: { cycleTaskQueue: 'ct-cycles' } }, wf).options).toEqual({
      cycleTaskQueue: 'ct-cycles',
    });
    const bad = parseFlywheelInput({ modelId: 'fraud', options: { cycleTaskQueue: '' } as never }, wf);
    expect(bad.options).toEqual({});
    expect(bad.dropped.join()).toContain('options.cycleTaskQueue');
  });
});
