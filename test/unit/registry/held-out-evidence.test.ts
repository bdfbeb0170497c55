import { describe, expect, it } from 'vitest';
import { useLocalActivities } from '../../support/local-activity-deps.js';
import { seaSpec, trainBuiltin } from '../../support/lifecycle-fixtures.js';
import { sampleLineage } from '../../support/sample-lineage.js';

const local = useLocalActivities('held-out-evidence-');

describe('registration measures importance and calibration on the held-out rows', () => {
  it('records permutation importance (SEA: f1 and f2 matter, f3 does not) and an isotonic calibration', async () => {
    const spec = seaSpec({
      dataSource: { kind: 'synthetic', generator: { name: 'sea' }, seed: 42, rowsPerWindow: 1600 },
    });
    const snapshot = await local.acts.snapshotData({ spec, cycleId: 'c-1', window: 1 });
    const trained = await trainBuiltin(spec, snapshot);
    const { sha256 } = await local.deps.registry.putArtifact(trained.artifact);
    const register = (cycleId: string) =>
      local.acts.registerCandidate({
        modelId: spec.id,
        cycleId,
        artifactSha256: sha256,
        lineage: sampleLineage({ dataset: { snapshotId: snapshot.snapshotId, sha256: snapshot.sha256 } }),
      });
    const { lineage } = await local.deps.registry.getVersion(spec.id, (await register('c-1')).version);

    const byFeature = lineage.importance?.byFeature ?? {};
    expect(lineage.importance?.method).toBe('permutation');
    expect(Object.keys(byFeature).sort()).toEqual(['f1', 'f2', 'f3']);
    expect(Object.values(byFeature).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
    expect(byFeature.f3).toBeLessThan(0.05);
    expect(byFeature.f1! + byFeature.f2!).toBeGreaterThan(0.95);

    const calibration = lineage.calibration;
    expect(calibration?.method).toBe('isotonic');
    if (calibration?.method !== 'isotonic') return;
    expect(calibration.rowCount).toBe(snapshot.rowCount - Math.round(snapshot.rowCount * 0.75));
    expect(calibration.y.every((v, k) => k === 0 || v >= calibration.y[k - 1]!)).toBe(true);

    // Another cycle registering the same artifact on the same rows records the same evidence.
    const again = await local.deps.registry.getVersion(spec.id, (await register('c-2')).version);
    expect(again.lineage.importance).toEqual(lineage.importance);
  });
});
