import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ArtifactIntegrityError,
  ArtifactNotFoundError,
  RegistryInputError,
  VersionNotFoundError,
  sha256Hex,
  type ModelRegistry,
} from '../../src/adapters/registry/index.js';
import { IllegalVersionTransitionError, type VersionEvent } from '../../src/domain/records/version-lifecycle.js';
import { sampleLineage } from './sample-lineage.js';
import { MAX_ISOTONIC_KNOTS } from '../../src/stats/calibration/isotonic.js';

export type ClosableRegistry = ModelRegistry & { close?(): void };

/** One registry implementation as the contract suite drives it. */
export interface RegistryHarness {
  /** A registry on a store this test has to itself (a new root, or a new model id on a shared server). */
  open(): Promise<RegistryUnderTest>;
}

export interface RegistryUnderTest {
  readonly registry: ClosableRegistry;
  /** Another instance over the same store, as another worker process would open it. */
  another(): ClosableRegistry;
  /** The file the store keeps an artifact's bytes in (the test flips a byte there). */
  artifactFile(sha256: string): string;
  /** Simulates a crash between a stage write and the alias write that follows it. */
  loseAliasWrite(modelId: string): Promise<void>;
  dispose(): Promise<void>;
}

const bytes = (s: string) => new TextEncoder().encode(s);
let counter = 0;

/**
 * The registry port's contract (src/adapters/registry/model-registry.ts), run against every
 * implementation: content-addressed verified artifacts, registration idempotent by cycle
 * with versions 1..N, lineage and history kept, and stages and aliases moving only by the
 * events of domain/records/version-lifecycle.ts. Each test uses a model id of its own, so
 * a shared server needs no cleanup between tests.
 */
export function describeRegistryContract(name: string, harness: () => RegistryHarness): void {
  describe(`${name} registry: the registry port's contract`, () => {
    let under: RegistryUnderTest;
    let registry: ClosableRegistry;
    let model: string;
    beforeEach(async () => {
      under = await harness().open();
      registry = under.registry;
      counter += 1;
      model = `m${counter}-${process.pid}-${Date.now().toString(36)}`;
    });
    afterEach(async () => {
      registry.close?.();
      await under.dispose();
    });

    const put = async (s: string) => (await registry.putArtifact(bytes(`${model}:${s}`))).sha256;
    const register = async (cycleId: string, on: ClosableRegistry = registry) =>
      (
        await on.registerVersion({
          modelId: model,
          cycleId,
          artifactSha256: await put(cycleId),
          lineage: sampleLineage(),
        })
      ).version.version;
    const apply = (version: number, ...events: VersionEvent[]) =>
      events.reduce<Promise<unknown>>(
        (p, e) => p.then(() => registry.applyVersionEvent(model, version, e, { by: 'test' })),
        Promise.resolve(),
      );

    describe('artifacts', () => {
      it('stores bytes under their sha256 and returns them intact', async () => {
        const content = `{"model":"${model}"}`;
        const ref = await registry.putArtifact(bytes(content));
        expect(ref).toEqual({ sha256: sha256Hex(bytes(content)), sizeBytes: content.length });
        expect(await readFile(under.artifactFile(ref.sha256), 'utf8')).toBe(content);
        expect(new TextDecoder().decode(await registry.getArtifact(ref.sha256))).toBe(content);
        expect(await registry.hasArtifact(ref.sha256)).toBe(true);
        expect(await registry.hasArtifact(sha256Hex(bytes(`${content} absent`)))).toBe(false);
      });

      it('refuses an artifact with one flipped byte, naming both hashes, and is repaired by putting the bytes again', async () => {
        const good = bytes(`{"weights":[0.5,1.5],"m":"${model}"}`);
        const ref = await registry.putArtifact(good);
        const stored = await readFile(under.artifactFile(ref.sha256));
        stored[5] = stored[5]! ^ 0x01;
        await writeFile(under.artifactFile(ref.sha256), stored);
        const err = await registry.getArtifact(ref.sha256).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ArtifactIntegrityError);
        expect((err as ArtifactIntegrityError).expectedSha256).toBe(ref.sha256);
        expect((err as Error).message).toContain(
          `expected sha256 ${ref.sha256} but the stored bytes hash to ${sha256Hex(stored)}`,
        );
        // Registering a version on top of a tampered artifact is refused too.
        await expect(
          registry.registerVersion({
            modelId: model,
            cycleId: 'c',
            artifactSha256: ref.sha256,
            lineage: sampleLineage(),
          }),
        ).rejects.toBeInstanceOf(ArtifactIntegrityError);
        expect(await registry.listVersions(model)).toEqual([]);
        await registry.putArtifact(good);
        await expect(registry.getArtifact(ref.sha256)).resolves.toEqual(good);
      });

      it('says clearly when an artifact is missing or the id is not a hash', async () => {
        await expect(registry.getArtifact(sha256Hex(bytes(`${model} never stored`)))).rejects.toBeInstanceOf(
          ArtifactNotFoundError,
        );
        await expect(registry.getArtifact('../../etc/passwd')).rejects.toThrow(/is not a sha256/);
      });
    });

    describe('versions', () => {
      it('numbers versions 1..N and is idempotent by cycle id, also from another instance', async () => {
        const a = await put('a');
        const r1 = await registry.registerVersion({
          modelId: model,
          cycleId: 'cycle-1',
          artifactSha256: a,
          lineage: sampleLineage(),
        });
        const r2 = await registry.registerVersion({
          modelId: model,
          cycleId: 'cycle-2',
          artifactSha256: await put('b'),
          lineage: sampleLineage(),
        });
        const again = await registry.registerVersion({
          modelId: model,
          cycleId: 'cycle-1',
          artifactSha256: a,
          lineage: sampleLineage(),
        });
        expect([r1.version.version, r1.created]).toEqual([1, true]);
        expect([r2.version.version, r2.created]).toEqual([2, true]);
        expect([again.version.version, again.created]).toEqual([1, false]);
        expect(again.version).toEqual(r1.version);
        expect((await registry.listVersions(model)).map((v) => v.version)).toEqual([1, 2]);
        expect((await registry.findVersionByCycle(model, 'cycle-2'))?.version).toBe(2);
        expect(await registry.findVersionByCycle(model, 'cycle-9')).toBeNull();
        expect(await registry.listModels()).toContain(model);
        // A second instance (another worker process) sees the same cycle record.
        const other = under.another();
        expect(
          (
            await other.registerVersion({
              modelId: model,
              cycleId: 'cycle-2',
              artifactSha256: a,
              lineage: sampleLineage(),
            })
          ).version.version,
        ).toBe(2);
        other.close?.();
      });

      it('registers concurrently from two instances, each cycle from both at once, without duplicates or gaps', async () => {
        const other = under.another();
        const art = await put('x');
        const results = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            (i < 20 ? registry : other).registerVersion({
              modelId: model,
              cycleId: `c${i % 20}`,
              artifactSha256: art,
              lineage: sampleLineage(),
            }),
          ),
        );
        other.close?.();
        expect(results.filter((r) => r.created)).toHaveLength(20);
        const versions = await registry.listVersions(model);
        expect(versions.map((v) => v.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect(new Set(versions.map((v) => v.cycleId)).size).toBe(20);
        for (const r of results) expect(r.version.cycleId).toBe(versions[r.version.version - 1]?.cycleId);
      });

      it('keeps the full lineage and stage, approval and rollout history', async () => {
        const art = await put('m1');
        // The largest calibration registration stores (MAX_ISOTONIC_KNOTS) and an importance record.
        const knots = Array.from({ length: MAX_ISOTONIC_KNOTS }, (_, k) => k / (MAX_ISOTONIC_KNOTS - 1));
        const evidence = {
          importance: { method: 'permutation' as const, byFeature: { f1: 0.61803398875, f2: 0.38196601125, f3: 0 } },
          calibration: { method: 'isotonic' as const, x: knots, y: knots.map((v) => v * v), rowCount: 1000 },
        };
        const { version } = await registry.registerVersion({
          modelId: model,
          cycleId: 'c1',
          artifactSha256: art,
          lineage: sampleLineage(evidence),
        });
        expect(version.lineage).toMatchObject(evidence);
        expect(version).toMatchObject({
          modelId: model,
          cycleId: 'c1',
          stage: 'candidate',
          artifact: { sha256: art, sizeBytes: `${model}:m1`.length },
          lineage: { codeVersion: 'git:0123abc', trainer: { hyperparameters: { l2: 0.01, epochs: 20 } } },
        });
        expect(await registry.getVersion(model, 1)).toEqual(version);
        await registry.applyVersionEvent(model, 1, 'approved', { by: 'alice' });
        await registry.applyVersionEvent(model, 1, 'approved', { by: 'alice' }); // retried activity: no second entry
        await registry.recordApproval(model, 1, {
          decision: 'approved',
          by: 'alice',
          at: '2026-11-22T10:05:00Z',
          comment: 'lgtm',
        });
        const afterRollout = await registry.recordRollout(model, 1, {
          outcome: 'completed',
          at: '2026-11-22T11:00:00Z',
          detail: 'canary 10% → 100%',
        });
        const v = await registry.getVersion(model, 1);
        expect(v).toEqual(afterRollout);
        expect(v.stageHistory.map((s) => s.stage)).toEqual(['candidate', 'approved']);
        expect(v.approval).toEqual({ decision: 'approved', by: 'alice', at: '2026-11-22T10:05:00Z', comment: 'lgtm' });
        expect(v.rollout).toEqual({
          outcome: 'completed',
          at: '2026-11-22T11:00:00Z',
          detail: 'canary 10% → 100%',
          reasons: [],
        });
      });

      it('moves aliases with history and refuses unknown versions', async () => {
        for (const c of ['c1', 'c2']) await register(c);
        for (const v of [1, 2])
          for (const e of ['approved', 'promoted'] as const)
            await registry.applyVersionEvent(model, v, e, { by: 'rollout' });
        expect((await registry.getAlias(model, 'champion'))?.version).toBe(2);
        expect(
          (await registry.getAliases(model)).history
            .filter((h) => h.alias === 'champion')
            .map((h) => [h.previous, h.version]),
        ).toEqual([
          [null, 1],
          [1, 2],
        ]);
        await expect(registry.applyVersionEvent(model, 9, 'rolloutStarted')).rejects.toBeInstanceOf(
          VersionNotFoundError,
        );
        await expect(registry.getVersion(model, 9)).rejects.toBeInstanceOf(VersionNotFoundError);
        expect(await registry.getAlias(model, 'challenger')).toBeNull();
        expect(await registry.getAliases(`${model}-none`)).toEqual({ aliases: {}, history: [] });
      });

      it('compares two versions', async () => {
        const a = await put('a');
        await registry.registerVersion({ modelId: model, cycleId: 'c1', artifactSha256: a, lineage: sampleLineage() });
        await registry.registerVersion({
          modelId: model,
          cycleId: 'c2',
          artifactSha256: a,
          lineage: sampleLineage({
            metrics: { heldOut: { rocAuc: 0.95, accuracy: 0.86 } },
            trainer: { kind: 'builtin', hyperparameters: { l2: 0.1, epochs: 20 } },
          }),
        });
        const c = await registry.compareVersions(model, 1, 2);
        expect(c.metricDeltas.rocAuc).toBeCloseTo(0.04);
        expect(c.metricDeltas.accuracy).toBe(0);
        expect(c.hyperparameterChanges).toEqual({ l2: { a: 0.01, b: 0.1 } });
        expect(c.sameArtifact).toBe(true);
      });

      it('refuses bad input naming the field', async () => {
        const art = await put('a');
        await expect(
          registry.registerVersion({ modelId: 'Bad Id', cycleId: 'c', artifactSha256: art, lineage: sampleLineage() }),
        ).rejects.toThrow(/invalid modelId: model id must be/);
        const bad = { ...sampleLineage(), dataset: { snapshotId: 's', sha256: 'nope' } };
        const err = await registry
          .registerVersion({ modelId: model, cycleId: 'c', artifactSha256: art, lineage: bad })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(RegistryInputError);
        expect((err as Error).message).toMatch(/at dataset\.sha256/);
        await expect(registry.applyVersionEvent(model, 1, 'teleported' as VersionEvent)).rejects.toThrow(
          /invalid event: event must be one of/,
        );
      });
    });

    describe('version lifecycle', () => {
      it('registers a candidate and walks it to production, moving the aliases with the stage', async () => {
        const v1 = await register('c1');
        expect((await registry.getVersion(model, v1)).stage).toBe('candidate');
        await apply(v1, 'approved', 'rolloutStarted');
        expect((await registry.getAliases(model)).aliases).toEqual({ challenger: v1 });
        const r = await registry.applyVersionEvent(model, v1, 'promoted', {
          by: 'rollout',
          reason: 'all phases passed',
        });
        expect(r).toMatchObject({
          changed: true,
          version: { stage: 'production' },
          aliases: { aliases: { champion: v1 } },
        });
        expect(r.version.stageHistory.map((s) => s.stage)).toEqual(['candidate', 'approved', 'production']);
        expect(r.version.stageHistory.at(-1)).toMatchObject({ by: 'rollout', reason: 'all phases passed' });
        expect(await registry.getVersion(model, v1)).toEqual(r.version);

        const v2 = await register('c2');
        await apply(v2, 'approved', 'rolloutStarted', 'promoted');
        await apply(v1, 'replaced');
        expect((await registry.getVersion(model, v1)).stage).toBe('archived');
        expect((await registry.getAliases(model)).aliases).toEqual({ champion: v2 });
      });

      it('refuses an illegal transition, naming the version, its stage and the event, and changes nothing', async () => {
        const v1 = await register('c1');
        await apply(v1, 'approved', 'promoted');
        const before = { version: await registry.getVersion(model, v1), aliases: await registry.getAliases(model) };
        const err = await registry.applyVersionEvent(model, v1, 'cancelled').catch((e: unknown) => e);
        expect(err).toBeInstanceOf(IllegalVersionTransitionError);
        expect((err as Error).message).toBe(
          `model ${model} v1 is production: event "cancelled" is not allowed there (allowed: replaced)`,
        );
        expect(await registry.getVersion(model, v1)).toEqual(before.version);
        expect(await registry.getAliases(model)).toEqual(before.aliases);
        const v2 = await register('c2');
        await expect(registry.applyVersionEvent(model, v2, 'promoted')).rejects.toThrow(
          `model ${model} v2 is candidate: event "promoted" is not allowed there`,
        );
        expect((await registry.getAliases(model)).aliases).toEqual({ champion: v1 });
      });

      it('applies a retried event once, and restores an alias write a crash lost', async () => {
        const v1 = await register('c1');
        await apply(v1, 'approved', 'rolloutStarted', 'promoted');
        const once = { version: await registry.getVersion(model, v1), aliases: await registry.getAliases(model) };
        const again = await registry.applyVersionEvent(model, v1, 'promoted', { by: 'test' });
        expect(again.changed).toBe(false);
        expect(again.version).toEqual(once.version);
        expect(again.aliases).toEqual(once.aliases);

        // The stage was written, the alias was not (a kill between the two): the retry writes it.
        await under.loseAliasWrite(model);
        expect(await registry.getAlias(model, 'champion')).toBeNull();
        expect((await registry.applyVersionEvent(model, v1, 'promoted')).changed).toBe(false);
        expect((await registry.getAlias(model, 'champion'))?.version).toBe(v1);
      });

      it('releases the challenger when a rollout ends without promotion, and never takes an alias from another version', async () => {
        const [v1, v2] = [await register('c1'), await register('c2')];
        await apply(v1, 'approved', 'promoted');
        await apply(v2, 'approved', 'rolloutStarted', 'rolledBack');
        expect((await registry.getAliases(model)).aliases).toEqual({ champion: v1 });
        const v3 = await register('c3');
        await apply(v3, 'approved', 'rolloutStarted');
        // A late retry of v2's rollback must not clear v3's challenger alias.
        await apply(v2, 'rolledBack');
        expect((await registry.getAliases(model)).aliases).toEqual({ champion: v1, challenger: v3 });
      });
    });
  });
}
