import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalModelRegistry, type ModelRegistry } from '../../../src/adapters/registry/index.js';
import { IllegalVersionTransitionError, type VersionEvent } from '../../../src/domain/records/version-lifecycle.js';
import { sampleLineage } from '../../support/sample-lineage.js';

/**
 * The registry port's lifecycle contract, run against every implementation: stages and
 * aliases move only by the events of domain/records/version-lifecycle.ts. A new registry
 * adds a line here.
 */
const implementations: [
  string,
  (root: string) => ModelRegistry & { close?(): void },
  (root: string, modelId: string) => Promise<void>,
][] = [
  [
    'local',
    (root) => new LocalModelRegistry({ root }),
    (root, modelId) => unlink(join(root, 'models', modelId, 'aliases.json')),
  ],
];

describe.each(implementations)('%s registry: version lifecycle', (_name, create, loseAliasWrite) => {
  let root: string;
  let registry: ReturnType<typeof create>;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'lifecycle-'));
    registry = create(root);
  });
  afterEach(async () => {
    registry.close?.();
    await rm(root, { recursive: true, force: true });
  });

  const register = async (cycleId: string) => {
    const art = await registry.putArtifact(new TextEncoder().encode(cycleId));
    return (
      await registry.registerVersion({ modelId: 'sea', cycleId, artifactSha256: art.sha256, lineage: sampleLineage() })
    ).version.version;
  };
  const apply = (version: number, ...events: VersionEvent[]) =>
    events.reduce<Promise<unknown>>(
      (p, e) => p.then(() => registry.applyVersionEvent('sea', version, e, { by: 'test' })),
      Promise.resolve(),
    );

  it('registers a candidate and walks it to production, moving the aliases with the stage', async () => {
    const v1 = await register('c1');
    expect((await registry.getVersion('sea', v1)).stage).toBe('candidate');
    await apply(v1, 'approved', 'rolloutStarted');
    expect((await registry.getAliases('sea')).aliases).toEqual({ challenger: v1 });
    const r = await registry.applyVersionEvent('sea', v1, 'promoted', { by: 'rollout', reason: 'all phases passed' });
    expect(r).toMatchObject({
      changed: true,
      version: { stage: 'production' },
      aliases: { aliases: { champion: v1 } },
    });
    expect(r.version.stageHistory.map((s) => s.stage)).toEqual(['candidate', 'approved', 'production']);
    expect(r.version.stageHistory.at(-1)).toMatchObject({ by: 'rollout', reason: 'all phases passed' });

    const v2 = await register('c2');
    await apply(v2, 'approved', 'rolloutStarted', 'promoted');
    await apply(v1, 'replaced');
    expect((await registry.getVersion('sea', v1)).stage).toBe('archived');
    expect((await registry.getAliases('sea')).aliases).toEqual({ champion: v2 });
  });

  it('refuses an illegal transition, naming the version, its stage and the event, and changes nothing', async () => {
    const v1 = await register('c1');
    await apply(v1, 'approved', 'promoted');
    const before = { version: await registry.getVersion('sea', v1), aliases: await registry.getAliases('sea') };
    const err = await registry.applyVersionEvent('sea', v1, 'cancelled').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IllegalVersionTransitionError);
    expect((err as Error).message).toBe(
      'model sea v1 is production: event "cancelled" is not allowed there (allowed: replaced)',
    );
    expect(await registry.getVersion('sea', v1)).toEqual(before.version);
    expect(await registry.getAliases('sea')).toEqual(before.aliases);
    const v2 = await register('c2');
    await expect(registry.applyVersionEvent('sea', v2, 'promoted')).rejects.toThrow(
      'model sea v2 is candidate: event "promoted" is not allowed there',
    );
    expect((await registry.getAliases('sea')).aliases).toEqual({ champion: v1 });
  });

  it('applies a retried event once, and restores an alias write a crash lost', async () => {
    const v1 = await register('c1');
    await apply(v1, 'approved', 'rolloutStarted', 'promoted');
    const once = { version: await registry.getVersion('sea', v1), aliases: await registry.getAliases('sea') };
    const again = await registry.applyVersionEvent('sea', v1, 'promoted', { by: 'test' });
    expect(again.changed).toBe(false);
    expect(again.version).toEqual(once.version);
    expect(again.aliases).toEqual(once.aliases);

    // The stage was written, the alias file was not (a kill between the two): the retry writes it.
    await loseAliasWrite(root, 'sea');
    expect(await registry.getAlias('sea', 'champion')).toBeNull();
    expect((await registry.applyVersionEvent('sea', v1, 'promoted')).changed).toBe(false);
    expect((await registry.getAlias('sea', 'champion'))?.version).toBe(v1);
  });

  it('releases the challenger when a rollout ends without promotion, and never takes an alias from another version', async () => {
    const [v1, v2] = [await register('c1'), await register('c2')];
    await apply(v1, 'approved', 'promoted');
    await apply(v2, 'approved', 'rolloutStarted', 'rolledBack');
    expect((await registry.getAliases('sea')).aliases).toEqual({ champion: v1 });
    const v3 = await register('c3');
    await apply(v3, 'approved', 'rolloutStarted');
    // A late retry of v2's rollback must not clear v3's challenger alias.
    await apply(v2, 'rolledBack');
    expect((await registry.getAliases('sea')).aliases).toEqual({ champion: v1, challenger: v3 });
  });
});
