import { mkdtemp, readFile, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalModelRegistry } from '../../../src/adapters/registry/index.js';
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

describe('local layout', () => {
  it('stores an artifact at blobs/sha256/<2>/<sha> and a version as versions/000001.json, leaving no temp files', async () => {
    const art = await registry.putArtifact(bytes('{"model":1}'));
    expect(await readFile(join(root, 'blobs', 'sha256', art.sha256.slice(0, 2), art.sha256), 'utf8')).toBe(
      '{"model":1}',
    );
    await registry.registerVersion({
      modelId: 'm',
      cycleId: 'c',
      artifactSha256: art.sha256,
      lineage: sampleLineage(),
    });
    expect((await readdir(join(root, 'models', 'm', 'versions'))).sort()).toEqual(['000001.json']);
    expect((await registry.getVersion('m', 1)).createdAt).toBe('2026-11-22T10:00:00.000Z');
  });
});
