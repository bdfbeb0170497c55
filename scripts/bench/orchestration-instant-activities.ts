import type { Activities } from '../../src/activities/create-activities.js';
import { transitionOf } from '../../src/domain/records/version-lifecycle.js';
import type { CycleActivities, FlywheelClientActivities } from '../../src/workflows/activity-types.js';

// The cycle's activities (one list, in workflows/activity-types.ts) plus the rollout's.
type Instant = Pick<
  Activities,
  keyof CycleActivities | 'setRouting' | 'getRouting' | 'readLiveMetrics' | 'checkServable' | 'readLoadFailures'
>;

const SHA = 'a'.repeat(64);

/**
 * Activities that answer at once with plausible results: the benchmark measures the
 * orchestration (Temporal round trips, workflow code), not training or I/O.
 */
export function instantActivities(): Instant & FlywheelClientActivities {
  const versions = new Map<string, number>();
  return {
    snapshotData: async ({ spec }) => ({
      snapshotId: `${spec.id}-snap`,
      sha256: SHA,
      rowCount: 1000,
      trainRows: 750,
      heldOutRows: 250,
      path: '/tmp/none',
      profilePath: '/tmp/none/p.json',
    }),
    validateData: async ({ snapshot }) => ({
      passed: true,
      snapshotId: snapshot.snapshotId,
      quality: { passed: true, issues: [] } as never,
      drift: null,
      driftSkipped: 'instant adapter',
      summary: [],
    }),
    trainModel: async () => ({
      artifactSha256: SHA,
      sizeBytes: 1000,
      trainingMetrics: { loss: 0.1 },
      trainer: 'builtin',
      hyperparameters: {},
      resumedFromCheckpoint: false,
      epochs: 1,
    }),
    evaluateCandidate: async () =>
      ({
        decision: 'promote',
        reasons: [],
        metrics: { challenger: { rocAuc: 0.9 }, champion: null },
        latencyP95Ms: 1,
        sizeBytes: 1000,
        comparedWith: null,
      }) as never,
    registerCandidate: async ({ modelId }) => {
      const v = (versions.get(modelId) ?? 0) + 1;
      versions.set(modelId, v);
      return { version: v, created: true };
    },
    getChampion: async () => null,
    recordApproval: async () => undefined,
    applyVersionEvent: async ({ event }) => ({ stage: transitionOf(event).stage, changed: true }),
    setStage: async () => undefined,
    setAlias: async () => undefined,
    recordRolloutOutcome: async () => undefined,
    recordVersionChanges: async () => undefined,
    setRouting: async () => ({ revision: 1 }),
    getRouting: async () => null,
    readLiveMetrics: async () => ({ count: 1000, errorRate: 0, p95LatencyMs: 5, labeledCount: 0 }),
    checkServable: async ({ version }) => ({
      servable: true,
      version,
      sha256: SHA,
      smokeRows: 0,
      detail: 'instant adapter',
    }),
    readLoadFailures: async () => null,
    signalFlywheelRetrain: async ({ modelId }) => ({ workflowId: `flywheel:${modelId}` }),
  };
}
