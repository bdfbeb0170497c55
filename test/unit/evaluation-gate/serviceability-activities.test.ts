import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../../src/activities/create-activities.js';
import type { SnapshotRef } from '../../../src/domain/records/snapshot-ref.js';
import {
  LINEAR_MODEL_FORMAT,
  serializeLinearModel,
  type LinearModel,
} from '../../../src/domain/model-format/linear-model.js';
import { seaSpec, trainBuiltin } from '../../support/lifecycle-fixtures.js';
import { localActivityDeps } from '../../support/local-activity-deps.js';
import { sampleLineage } from '../../support/sample-lineage.js';

/**
 * The serviceability check and the evaluation gate over a real local registry: a blob
 * whose bytes no longer hash to its id is "cannot be served: artifact integrity", for a
 * candidate (the rollout stops) and for a champion (the gate falls back to the floors).
 */
let root: string;
let deps: ReturnType<typeof localActivityDeps>;
let acts: ReturnType<typeof createActivities>;
let snapshot: SnapshotRef;
const spec = seaSpec({
  id: 'sea-svc',
  gate: {
    primaryMetric: 'accuracy',
    minImprovement: 0.01,
    significance: { test: 'mcnemar', alpha: 0.05 },
    absoluteFloors: { accuracy: 0.7 },
  },
});

async function register(model: LinearModel | Uint8Array, cycle: string): Promise<{ version: number; sha256: string }> {
  const bytes = model instanceof Uint8Array ? model : new TextEncoder().encode(serializeLinearModel(model));
  const ref = await deps.registry.putArtifact(bytes);
  const { version } = await deps.registry.registerVersion({
    modelId: spec.id,
    cycleId: cycle,
    artifactSha256: ref.sha256,
    lineage: sampleLineage(),
  });
  return { version: version.version, sha256: ref.sha256 };
}

/** Changes one byte of a stored blob: a digit of the JSON, so it still parses. */
async function flipOneByte(sha256: string): Promise<void> {
  const file = path.join(root, 'registry', 'blobs', 'sha256', sha256.slice(0, 2), sha256);
  const bytes = Buffer.from(await readFile(file));
  const at = bytes.findIndex((b) => b >= 0x31 && b <= 0x38);
  bytes[at] = bytes[at]! + 1;
  await writeFile(file, bytes);
}

const constant = (intercept: number, task: LinearModel['task'] = 'binaryClassification'): LinearModel => ({
  format: LINEAR_MODEL_FORMAT,
  task,
  label: 'is_fraud',
  features: ['f1', 'f2', 'f3'].map((name) => ({ name, kind: 'numeric' as const, mean: 5, std: 2, weight: 0 })),
  intercept,
  metadata: {},
});

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ct-svc-'));
  deps = localActivityDeps(root);
  acts = createActivities(deps);
  snapshot = await acts.snapshotData({ spec, cycleId: 'svc-1' });
});
afterAll(async () => {
  await deps.close();
  await rm(root, { recursive: true, force: true });
});

describe('checkServable', () => {
  it('loads an intact version through the gateway loader and smoke-scores held-out rows', async () => {
    const v = await register(constant(0.3), 'ok');
    const r = await acts.checkServable({
      modelId: spec.id,
      version: v.version,
      snapshot,
      task: 'binaryClassification',
    });
    expect(r).toMatchObject({ servable: true, version: v.version, sha256: v.sha256, smokeRows: 32 });
    expect(r.detail).toContain(`held-out rows of ${snapshot.snapshotId}`);
    expect(await acts.checkServable({ modelId: spec.id, version: v.version })).toMatchObject({
      servable: true,
      smokeRows: 1,
    });
  });

  it('names what cannot be served: a tampered blob, a missing version, the wrong task', async () => {
    const v = await register(constant(0.4), 'tampered');
    await flipOneByte(v.sha256);
    const tampered = await acts.checkServable({ modelId: spec.id, version: v.version, snapshot });
    expect(tampered).toMatchObject({ servable: false, kind: 'artifact integrity' });
    expect(tampered.detail).toMatch(/corrupt or tampered: expected sha256/);
    expect(await acts.checkServable({ modelId: spec.id, version: 99 })).toMatchObject({
      servable: false,
      kind: 'artifact missing',
    });
    const regression = await register(constant(1, 'regression'), 'regression');
    expect(
      await acts.checkServable({ modelId: spec.id, version: regression.version, task: 'binaryClassification' }),
    ).toMatchObject({
      servable: false,
      kind: 'invalid model artifact',
      detail: `v${regression.version} is a regression model but sea-svc serves binaryClassification`,
    });
  });

  it('refuses malformed input naming the field', async () => {
    await expect(acts.checkServable({ modelId: spec.id, version: 0 })).rejects.toThrow(
      /checkServable: invalid input: version/,
    );
    await expect(acts.readLoadFailures({ modelId: spec.id, version: 1, fromMs: 5, toMs: 1 })).rejects.toThrow(/toMs/);
  });

  it('reads the gateway refusals recorded in the serving state', async () => {
    await deps.servingState.recordLoadFailure({
      modelId: spec.id,
      version: 7,
      kind: 'artifact integrity',
      message: 'tampered',
      atMs: 1_000,
    });
    expect(await acts.readLoadFailures({ modelId: spec.id, version: 7, fromMs: 0, toMs: 2_000 })).toEqual({
      count: 1,
      kind: 'artifact integrity',
      message: 'tampered',
      lastAtMs: 1_000,
    });
  });
});

describe('evaluateCandidate with a corrupt champion', () => {
  it('reports the champion unservable and judges the candidate on the absolute floors only', async () => {
    const trained = await trainBuiltin(spec, snapshot);
    const candidate = await deps.registry.putArtifact(trained.artifact);
    const champion = await register(constant(0), 'champion');
    await flipOneByte(champion.sha256);
    const gate = await acts.evaluateCandidate({
      spec,
      snapshot,
      candidateSha256: candidate.sha256,
      championVersion: champion.version,
    });
    expect(gate.decision).toBe('promote');
    expect(gate.comparedWith).toBeNull();
    expect(gate.metrics.champion).toBeNull();
    expect(gate.championUnservable).toMatchObject({ version: champion.version, kind: 'artifact integrity' });
    expect(gate.reasons.find((r) => r.code === 'champion_unservable')?.message).toBe(
      `champion v${champion.version} cannot be served (artifact integrity): the challenger is judged on absolute floors only`,
    );
    expect(gate.reasons.find((r) => r.code === 'absolute_floor')).toMatchObject({ status: 'passed' });
  });

  it('still fails on a tampered candidate: what would serve must be what was judged', async () => {
    const bad = await register(constant(0.2), 'bad-candidate');
    await flipOneByte(bad.sha256);
    await expect(acts.evaluateCandidate({ spec, snapshot, candidateSha256: bad.sha256 })).rejects.toMatchObject({
      type: 'ArtifactIntegrity',
    });
  });
});
