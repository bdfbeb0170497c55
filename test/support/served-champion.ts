import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { storedProfileSha256 } from '../../src/adapters/data-sources/reference-profile-file.js';
import { SyntheticDataSource } from '../../src/adapters/data-sources/synthetic-data-source.js';
import type { ModelRegistry } from '../../src/adapters/registry/model-registry.js';
import { SqliteServingState } from '../../src/adapters/serving-state/index.js';
import { parseModelSpec } from '../../src/domain/model-spec/index.js';
import { createRng } from '../../src/stats/random.js';

/** A three-feature SEA model spec (numeric f1..f3 in [0, 10]) for monitor tests and the fleet bench. */
export const monitoredSpec = (id: string) =>
  parseModelSpec({
    id,
    task: 'binaryClassification',
    features: ['f1', 'f2', 'f3'].map((name) => ({ name, type: 'numeric', min: 0, max: 10 })),
    label: { name: 'label' },
    dataSource: { kind: 'synthetic', generator: { name: 'sea', noise: 0.05 }, rowsPerWindow: 2000 },
    trainer: { kind: 'builtin' },
  });

export interface ServedChampionStore {
  /** Holds `registry/`, `snapshots/` and `serving.db`. */
  dir: string;
  registry: Pick<ModelRegistry, 'putArtifact' | 'registerVersion' | 'getVersion'>;
  servingState: SqliteServingState;
}

/**
 * A served champion v1 of `modelId` whose reference profile is SEA window 0 and whose
 * held-out accuracy is `baseline`, routed since two minutes ago (so the whole performance
 * window belongs to it). A real registry version, snapshot and routing row: what the
 * monitor's check reads.
 */
export async function serveChampion(store: ServedChampionStore, modelId: string, baseline: number): Promise<number> {
  const snapshot = await new SyntheticDataSource({ snapshotRoot: path.join(store.dir, 'snapshots') }).snapshot({
    spec: monitoredSpec(modelId),
    window: 0,
  });
  // Recorded as a registered version records it, so every check verifies the profile's bytes.
  const profileSha256 = await storedProfileSha256(path.join(store.dir, 'snapshots'), snapshot.snapshotId);
  const artifact = await store.registry.putArtifact(new TextEncoder().encode(`{"model":"${modelId}"}`));
  const { version } = await store.registry.registerVersion({
    modelId,
    cycleId: `flywheel:${modelId}:cycle:1`,
    artifactSha256: artifact.sha256,
    lineage: {
      dataset: {
        snapshotId: snapshot.snapshotId,
        sha256: snapshot.sha256,
        ...(profileSha256 ? { profileSha256 } : {}),
      },
      codeVersion: 'test',
      trainer: { kind: 'builtin' },
      metrics: { heldOut: { accuracy: baseline } },
      comparedWith: null,
      gate: null,
      trigger: { kind: 'manual' },
      cycle: { workflowId: `flywheel:${modelId}:cycle:1`, runId: 'run' },
    },
  });
  const earlier = new SqliteServingState({
    path: path.join(store.dir, 'serving.db'),
    now: () => new Date(Date.now() - 120_000),
  });
  await earlier.setRouting(modelId, { championVersion: version.version });
  await earlier.close();
  return version.version;
}

/** `rows` predictions over the last 40 s; f3 squeezed into [5, 10] when shifted; `accuracy` of them right. */
export async function logTraffic(
  servingState: SqliteServingState,
  modelId: string,
  version: number,
  opts: { rows: number; shifted: boolean; accuracy: number },
): Promise<void> {
  const rng = createRng(7);
  const now = Date.now();
  const records = [],
    labels = [];
  for (let i = 0; i < opts.rows; i++) {
    const requestId = randomUUID();
    const f3 = rng.nextFloat() * 10;
    const prediction = rng.nextFloat() < 0.5 ? 1 : 0;
    const label = rng.nextFloat() < opts.accuracy ? prediction : 1 - prediction;
    const timeMs = now - 40_000 + Math.floor((i / opts.rows) * 39_000);
    records.push({
      requestId,
      modelId,
      version,
      features: { f1: rng.nextFloat() * 10, f2: rng.nextFloat() * 10, f3: opts.shifted ? 5 + f3 / 2 : f3 },
      prediction,
      probability: 0.5,
      latencyMs: 1,
      atMs: timeMs,
    });
    labels.push({ requestId, label, timeMs: timeMs + 500 });
  }
  await servingState.logPredictions(records);
  await servingState.recordLabels(labels);
}
