import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalModelRegistry } from '../../../src/adapters/registry/index.js';
import { parseManifest } from '../../../src/adapters/registry/local/manifest-files.js';
import { sampleLineage } from '../../support/sample-lineage.js';

const CHILD = fileURLToPath(new URL('../../support/kill-registration-child.ts', import.meta.url));
const TRIALS = 24;
const modelId = 'killtest';
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'registry-kill-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Runs the child until it is ready, lets it work for `delayMs`, SIGKILLs it; returns its acks. */
function runAndKill(
  trial: number,
  delayMs: number,
): Promise<{ acks: Map<string, number>; stderr: string; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, root, String(trial)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks = new Map<string, number>();
    let out = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('READY\n') && !child.killed) {
        out = out.slice('READY\n'.length);
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      for (const line of out.split('\n')) {
        const m = /^ack (\S+) (\d+) (true|false)$/.exec(line);
        if (m) acks.set(m[1]!, Number(m[2]));
      }
      resolve({ acks, stderr, signal });
    });
  });
}

it(`keeps the registry consistent across ${TRIALS} SIGKILLs at random points`, async () => {
  const acked = new Map<string, number>();
  let debrisSeen = 0;
  let lastCount = 0;
  for (let trial = 0; trial < TRIALS; trial++) {
    const delay = Math.floor(Math.random() * 120);
    const { acks, stderr, signal } = await runAndKill(trial, delay);
    expect(signal, `child ${trial} died by itself: ${stderr}`).toBe('SIGKILL');
    for (const [c, v] of acks) acked.set(c, v);

    const dir = join(root, 'models', modelId, 'versions');
    const names = await readdir(dir).catch(() => [] as string[]);
    if (names.some((n) => n.includes('.tmp-'))) debrisSeen++;
    // Every committed manifest parses; versions are exactly 1..N; cycle ids are unique.
    const files = names.filter((n) => /^\d+\.json$/.test(n)).sort();
    const manifests = await Promise.all(files.map(async (n) => parseManifest(n, await readFile(join(dir, n), 'utf8'))));
    expect(manifests.map((m) => m.version)).toEqual(manifests.map((_, i) => i + 1));
    expect(new Set(manifests.map((m) => m.cycleId)).size).toBe(manifests.length);
    expect(manifests.length).toBeGreaterThanOrEqual(lastCount);
    lastCount = manifests.length;

    // Every acknowledged registration survived with its version; a retry gets it back.
    const registry = new LocalModelRegistry({ root });
    for (const [cycleId, version] of acked)
      expect((await registry.findVersionByCycle(modelId, cycleId))?.version, cycleId).toBe(version);
    for (const m of manifests.slice(-3)) {
      const again = await registry.registerVersion({
        modelId,
        cycleId: m.cycleId,
        artifactSha256: m.artifact.sha256,
        lineage: sampleLineage(),
      });
      expect([again.version.version, again.created]).toEqual([m.version, false]);
      await expect(registry.getArtifact(m.artifact.sha256)).resolves.toBeDefined();
    }
    await registry.getAliases(modelId); // parses or throws
    registry.close();
  }
  console.log(
    `kill test: ${TRIALS} kills, ${lastCount} versions, ${acked.size} acknowledged cycles, ${debrisSeen} kills left temp-file debris (swept on next lock)`,
  );
  // The kills must have landed while work was under way, not only before the first write.
  expect(lastCount).toBeGreaterThanOrEqual(TRIALS / 2);
}, 240_000);
