import { describe, expect, it } from 'vitest';
import { parseModelSpec, type ModelSpec } from '../../../src/domain/model-spec/model-spec.js';
import { SpecCache, type ModelSpecSource } from '../../../src/serving/serving-schemas.js';

const spec = (outOfRange: 'refuse' | 'scoreAndFlag' = 'refuse'): ModelSpec =>
  parseModelSpec({
    id: 'm',
    task: 'binaryClassification',
    features: [{ name: 'x', type: 'numeric', min: 0, max: 1 }],
    label: { name: 'y' },
    dataSource: { kind: 'synthetic', generator: { name: 'sea' } },
    trainer: { kind: 'builtin' },
    serving: { outOfRange },
  });

/** A spec source whose answers the test scripts: a spec, null, an error, or never. */
function scripted(answers: Array<ModelSpec | null | Error | 'hang' | unknown>) {
  let calls = 0;
  const source: ModelSpecSource = {
    getSpec: () => {
      const answer = answers[Math.min(calls++, answers.length - 1)];
      if (answer === 'hang') return new Promise<never>(() => undefined);
      if (answer instanceof Error) return Promise.reject(answer);
      return Promise.resolve(answer as ModelSpec | null);
    },
  };
  return { source, calls: () => calls };
}

describe('SpecCache', () => {
  it('reads a spec once per refresh interval and serves the last one while it refreshes', async () => {
    let now = 0;
    const { source, calls } = scripted([spec('refuse'), spec('scoreAndFlag')]);
    const cache = new SpecCache(source, { refreshMs: 1_000, now: () => now });
    expect(await cache.get('m')).toMatchObject({ source: 'spec', task: 'binaryClassification', outOfRange: 'refuse' });
    now = 500;
    expect(await cache.get('m')).toMatchObject({ outOfRange: 'refuse' });
    expect(calls()).toBe(1);
    now = 1_500;
    // Stale: answered at once from the last spec while the new one is read.
    expect(cache.get('m')).toMatchObject({ outOfRange: 'refuse' });
    await new Promise((r) => setImmediate(r));
    expect(await cache.get('m')).toMatchObject({ outOfRange: 'scoreAndFlag' });
  });

  it('never fails a request over its source: an error keeps the last spec, a first error or hang gives none', async () => {
    let now = 0;
    const errors: unknown[] = [];
    const failing = scripted([spec(), new Error('no worker')]);
    const cache = new SpecCache(failing.source, { refreshMs: 100, now: () => now, onError: (e) => errors.push(e) });
    expect(await cache.get('m')).toMatchObject({ source: 'spec' });
    now = 200;
    void cache.get('m'); // starts the refresh that fails
    await new Promise((r) => setImmediate(r));
    expect(await cache.get('m')).toMatchObject({ source: 'spec' });
    expect(errors).toHaveLength(1);

    expect(await new SpecCache(scripted([new Error('down')]).source).get('m')).toBeNull();
    const started = Date.now();
    expect(await new SpecCache(scripted(['hang']).source, { firstLookupMs: 50 }).get('m')).toBeNull();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('treats a spec that does not parse (a flywheel started with a raw spec) as none, and says so', async () => {
    const errors: unknown[] = [];
    const cache = new SpecCache(scripted([{ id: 'm', features: 'nope' }]).source, { onError: (e) => errors.push(e) });
    expect(await cache.get('m')).toBeNull();
    expect(String(errors[0])).toContain('does not parse');
  });
});
