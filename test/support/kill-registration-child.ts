/**
 * Child process for the kill -9 registration test: registers versions in a tight loop
 * (new cycle ids, re-registrations of old ones, lifecycle events moving stages and aliases) until it is killed.
 * Prints `READY` once, then `ack <cycleId> <version> <created>` after every registration
 * returns, so the parent can check that acknowledged writes survived the kill.
 * Usage: node --import tsx kill-registration-child.ts <registryRoot> <trial>
 */
import { LocalModelRegistry } from '../../src/adapters/registry/index.js';
import { VERSION_LIFECYCLE, type VersionEvent } from '../../src/domain/records/version-lifecycle.js';
import { sampleLineage } from './sample-lineage.js';

const [root, trialArg] = process.argv.slice(2);
if (!root || !trialArg) throw new Error('usage: kill-registration-child.ts <root> <trial>');
const trial = Number(trialArg);
const registry = new LocalModelRegistry({ root });
const modelId = 'killtest';
const mine: string[] = [];

async function step(i: number): Promise<void> {
  const roll = Math.random();
  if (roll < 0.6 || mine.length === 0) {
    const cycleId = `t${trial}-c${i}`;
    const art = await registry.putArtifact(
      new TextEncoder().encode(JSON.stringify({ trial, i, pad: 'x'.repeat(Math.floor(Math.random() * 4096)) })),
    );
    const r = await registry.registerVersion({
      modelId,
      cycleId,
      artifactSha256: art.sha256,
      lineage: sampleLineage(),
    });
    mine.push(cycleId);
    process.stdout.write(`ack ${cycleId} ${r.version.version} ${r.created}\n`);
  } else if (roll < 0.8) {
    // A retried activity: same cycle id, must get the same version back.
    const cycleId = mine[Math.floor(Math.random() * mine.length)]!;
    const existing = await registry.findVersionByCycle(modelId, cycleId);
    if (!existing) throw new Error(`acknowledged cycle ${cycleId} vanished`);
    const r = await registry.registerVersion({
      modelId,
      cycleId,
      artifactSha256: existing.artifact.sha256,
      lineage: sampleLineage(),
    });
    process.stdout.write(`ack ${cycleId} ${r.version.version} ${r.created}\n`);
  } else {
    const versions = await registry.listVersions(modelId);
    const v = versions[Math.floor(Math.random() * versions.length)]!;
    // Any event the lifecycle allows from its stage: a stage write and an alias write under one lock.
    const events = Object.keys(VERSION_LIFECYCLE[v.stage]) as VersionEvent[];
    const event = events[Math.floor(Math.random() * events.length)];
    if (event) await registry.applyVersionEvent(modelId, v.version, event, { by: 'kill-test' });
  }
}

process.stdout.write('READY\n');
for (let i = 0; ; i++) await step(i);
