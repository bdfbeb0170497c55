import type { CycleStepModule } from '../cycle-run.js';
import { data } from '../cycle-steps.js';

/** Takes an immutable snapshot of the model's data (train and held-out splits). */
export const snapshotStep: CycleStepModule = {
  name: 'snapshot',
  async run(c) {
    const snapshot = await data.snapshotData({ spec: c.input.spec, cycleId: c.cycleId });
    c.facts.snapshot = snapshot;
    c.report.ok(
      'snapshot',
      `snapshot ${snapshot.snapshotId}: ${snapshot.rowCount} rows (${snapshot.trainRows} train, ${snapshot.heldOutRows} held out)`,
      {
        snapshotId: snapshot.snapshotId,
        sha256: snapshot.sha256,
      },
    );
  },
};
