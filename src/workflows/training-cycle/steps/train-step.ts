import { TaskQueue } from '../../../domain/task-queues.js';
import { trainingActivity } from '../../shared/activity-options.js';
import type { CycleStepModule } from '../cycle-run.js';
import { trainingOn } from '../cycle-steps.js';

/** Trains the candidate on the training task queue (heartbeats, resumes from its checkpoint). */
export const trainStep: CycleStepModule = {
  name: 'train',
  async run(c) {
    const { spec, trainingTaskQueue } = c.input;
    const trained = await trainingOn(trainingTaskQueue).trainModel.executeWithOptions(
      { ...trainingActivity, taskQueue: trainingTaskQueue ?? TaskQueue.training, activityId: `train:${c.cycleId}` },
      [{ spec, snapshot: c.need('snapshot'), cycleId: c.cycleId }],
    );
    c.facts.trained = trained;
    c.report.resumedFromCheckpoint = trained.resumedFromCheckpoint;
    c.report.ok(
      'train',
      `trained with the ${trained.trainer} trainer for ${trained.epochs} epochs${trained.resumedFromCheckpoint ? ', resumed from a checkpoint after a worker was lost' : ''}`,
      {
        artifactSha256: trained.artifactSha256,
        sizeBytes: trained.sizeBytes,
        trainingMetrics: trained.trainingMetrics,
        resumedFromCheckpoint: trained.resumedFromCheckpoint,
      },
    );
  },
};
