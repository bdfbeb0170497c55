import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ArtifactIntegrityError,
  ArtifactNotFoundError,
  LocalModelRegistry,
  RegistryInputError,
  VersionNotFoundError,
  sha256Hex,
} from '../../../src/adapters/registry/index.js';
import { sampleLineage } from '../../support/sample-lineage.js';

let root: string;
let registry: LocalModelRegistry;
const bytes = (s: string) => new TextEncoder().encode(s);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'registry-'));
  registry = new LocalModelRegistry({ root, now: () => new Date('2026-11-22T10:00:00Z') });
});
afterEach(async () => {
  registry.close();
  await rm(root, { recursive: true, force: true });
});

describe('artifacts', () => {
  it('stores bytes under their sha256 and returns them intact', async () => {
    const ref = await registry.putArtifact(bytes('{"model":1}'));
    expect(ref).toEqual({ sha256: sha256Hex(bytes('{"model":1}')), sizeBytes: 11 });
    const path = join(root, 'blobs', 'sha256', ref.sha256.slice(0, 2), ref.sha256);
    expect(await readFile(path, 'utf8')).toBe('{"model":1}');
    expect(new TextDecoder().decode(await registry.getArtifact(ref.sha256))).toBe('{"model":1}');
  });

  it('refuses an artifact with one flipped byte, naming both hashes', async () => {
    const ref = await registry.putArtifact(bytes('{"weights":[0.5,1.5]}'));
    const path = join(root, 'blobs', 'sha256', ref.sha256.slice(0, 2), ref.sha256);
    const stored = await readFile(path);
    stored[5] = stored[5]! ^ 0x01;
    await writeFile(path, stored);
    const err = await registry.getArtifact(ref.sha256).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArtifactIntegrityError);
    expect((err as ArtifactIntegrityError).expectedSha256).toBe(ref.sha256);
    expect((err as Error).message).toContain(
      `expected sha256 ${ref.sha256} but the stored bytes hash to ${sha256Hex(stored)}`,
    );
    // Registering a version on top of a tampered artifact is refused too.
    await expect(
      registry.registerVersion({ modelId: 'm', cycleId: 'c', artifactSha256: ref.sha256, lineage: sampleLineage() }),
    ).rejects.toBeInstanceOf(ArtifactIntegrityError);
    // Putting the good bytes again repairs the blob.
    await registry.putArtifact(bytes('{"weights":[0.5,1.5]}'));
    await expect(registry.getArtifact(ref.sha256)).resolves.toBeDefined();
  });

  it('says clearly when an artifact is missing or the id is not a hash', async () => {
    await expect(registry.getArtifact('b'.repeat(64))).rejects.toBeInstanceOf(ArtifactNotFoundError);
    await expect(registry.getArtifact('../../etc/passwd')).rejects.toThrow(/is not a sha256/);
  });
});

describe('versions', () => {
  it('numbers versions 1..N and is idempotent by cycle id', async () => {
    const a = await registry.putArtifact(bytes('a'));
    const b = await registry.putArtifact(bytes('b'));
    const r1 = await registry.registerVersion({
      modelId: 'sea',
      cycleId: 'cycle-1',
      artifactSha256: a.sha256,
      lineage: sampleLineage(),
    });
    const r2 = await registry.registerVersion({
      modelId: 'sea',
      cycleId: 'cycle-2',
      artifactSha256: b.sha256,
      lineage: sampleLineage(),
    });
    const again = await registry.registerVersion({
      modelId: 'sea',
      cycleId: 'cycle-1',
      artifactSha256: a.sha256,
      lineage: sampleLineage(),
    });
    expect([r1.version.version, r1.created]).toEqual([1, true]);
    expect([r2.version.version, r2.created]).toEqual([2, true]);
    expect([again.version.version, again.created]).toEqual([1, false]);
    expect((await registry.listVersions('sea')).map((v) => v.version)).toEqual([1, 2]);
    // A second instance (another worker process) sees the same cycle record.
    const other = new LocalModelRegistry({ root });
    expect(
      (
        await other.registerVersion({
          modelId: 'sea',
          cycleId: 'cycle-2',
          artifactSha256: b.sha256,
          lineage: sampleLineage(),
        })
      ).version.version,
    ).toBe(2);
    other.close();
  });

  it('registers concurrently from two instances without duplicates or gaps', async () => {
    const other = new LocalModelRegistry({ root });
    const art = await registry.putArtifact(bytes('x'));
    const calls = Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? registry : other).registerVersion({
        modelId: 'm',
        cycleId: `c${i % 20}`,
        artifactSha256: art.sha256,
        lineage: sampleLineage(),
      }),
    );
    const results = await Promise.all(calls);
    other.close();
    expect(results.filter((r) => r.created)).toHaveLength(20);
    const versions = await registry.listVersions('m');
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(versions.map((v) => v.cycleId)).size).toBe(20);
  });

  it('keeps the full lineage and stage, approval and rollout history', async () => {
    const art = await registry.putArtifact(bytes('m1'));
    const { version } = await registry.registerVersion({
      modelId: 'sea',
      cycleId: 'c1',
      artifactSha256: art.sha256,
      lineage: sampleLineage(),
    });
    expect(version).toMatchObject({
      stage: 'candidate',
      artifact: { sha256: art.sha256, sizeBytes: 2 },
      lineage: { codeVersion: 'git:0123abc' },
    });
    await registry.applyVersionEvent('sea', 1, 'approved', { by: 'alice' });
    await registry.applyVersionEvent('sea', 1, 'approved', { by: 'alice' }); // retried activity: no second entry
    await registry.recordApproval('sea', 1, {
      decision: 'approved',
      by: 'alice',
      at: '2026-11-22T10:05:00Z',
      comment: 'lgtm',
    });
    await registry.recordRollout('sea', 1, {
      outcome: 'completed',
      at: '2026-11-22T11:00:00Z',
      detail: 'canary 10% → 100%',
    });
    const v = await registry.getVersion('sea', 1);
    expect(v.stageHistory.map((s) => s.stage)).toEqual(['candidate', 'approved']);
    expect(v.approval).toEqual({ decision: 'approved', by: 'alice', at: '2026-11-22T10:05:00Z', comment: 'lgtm' });
    expect(v.rollout?.outcome).toBe('completed');
  });

  it('moves aliases with history and refuses unknown versions', async () => {
    const art = await registry.putArtifact(bytes('m'));
    for (const c of ['c1', 'c2'])
      await registry.registerVersion({
        modelId: 'sea',
        cycleId: c,
        artifactSha256: art.sha256,
        lineage: sampleLineage(),
      });
    for (const v of [1, 2])
      for (const e of ['approved', 'promoted'] as const)
        await registry.applyVersionEvent('sea', v, e, { by: 'rollout' });
    expect((await registry.getAlias('sea', 'champion'))?.version).toBe(2);
    expect(
      (await registry.getAliases('sea')).history
        .filter((h) => h.alias === 'champion')
        .map((h) => [h.previous, h.version]),
    ).toEqual([
      [null, 1],
      [1, 2],
    ]);
    await expect(registry.applyVersionEvent('sea', 9, 'rolloutStarted')).rejects.toBeInstanceOf(VersionNotFoundError);
    expect(await registry.getAlias('sea', 'challenger')).toBeNull();
  });

  it('compares two versions', async () => {
    const a = await registry.putArtifact(bytes('a'));
    await registry.registerVersion({
      modelId: 'sea',
      cycleId: 'c1',
      artifactSha256: a.sha256,
      lineage: sampleLineage(),
    });
    await registry.registerVersion({
      modelId: 'sea',
      cycleId: 'c2',
      artifactSha256: a.sha256,
      lineage: sampleLineage({
        metrics: { heldOut: { rocAuc: 0.95, accuracy: 0.86 } },
        trainer: { kind: 'builtin', hyperparameters: { l2: 0.1, epochs: 20 } },
      }),
    });
    const c = await registry.compareVersions('sea', 1, 2);
    expect(c.metricDeltas.rocAuc).toBeCloseTo(0.04);
    expect(c.metricDeltas.accuracy).toBe(0);
    expect(c.hyperparameterChanges).toEqual({ l2: { a: 0.01, b: 0.1 } });
    expect(c.sameArtifact).toBe(true);
  });

  it('refuses bad input naming the field', async () => {
    const art = await registry.putArtifact(bytes('a'));
    await expect(
      registry.registerVersion({
        modelId: 'Bad Id',
        cycleId: 'c',
        artifactSha256: art.sha256,
        lineage: sampleLineage(),
      }),
    ).rejects.toThrow(/invalid modelId: model id must be/);
    const bad = { ...sampleLineage(), dataset: { snapshotId: 's', sha256: 'nope' } };
    await expect(
      registry.registerVersion({ modelId: 'm', cycleId: 'c', artifactSha256: art.sha256, lineage: bad }),
    ).rejects.toThrow(RegistryInputError);
    await expect(
      registry.registerVersion({ modelId: 'm', cycleId: 'c', artifactSha256: art.sha256, lineage: bad }),
    ).rejects.toThrow(/at dataset\.sha256/);
  });

  it('leaves no temp files behind', async () => {
    const art = await registry.putArtifact(bytes('a'));
    await registry.registerVersion({
      modelId: 'm',
      cycleId: 'c',
      artifactSha256: art.sha256,
      lineage: sampleLineage(),
    });
    expect((await readdir(join(root, 'models', 'm', 'versions'))).sort()).toEqual(['000001.json']);
  });
});
