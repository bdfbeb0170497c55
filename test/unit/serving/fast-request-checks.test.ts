import Fastify from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { createRng } from '../../../src/stats/random.js';
import { admitsPredictBody, parseModelParams, parsePredictBody } from '../../../src/serving/fast-request-checks.js';
import { ModelParamsSchema, PredictBodySchema } from '../../../src/serving/request-schemas.js';

/**
 * The hot path's shortcut in front of PredictBodySchema must never change an answer: what
 * it admits the schema accepts unchanged, and everything else gets zod's own refusal (the
 * same issues, naming the same field).
 */
const features = (n: number, value: unknown = 1) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, value]));

const edgeCases: unknown[] = [
  { features: { tenure: 7, charges: 99.5, plan: 'basic' } },
  { features: {} },
  { features: { a: null, b: true, c: false, d: 0, e: -1.5e300, f: '' } },
  { features: { s: 'x'.repeat(1000) } },
  { features: { s: 'x'.repeat(1001) } },
  { features: features(1000) },
  { features: features(1001) },
  { features: { x: 1 }, requestKey: 'user-1' },
  { features: { x: 1 }, requestKey: '' },
  { features: { x: 1 }, requestKey: 'k'.repeat(200) },
  { features: { x: 1 }, requestKey: 'k'.repeat(201) },
  { features: { x: 1 }, requestKey: 7 },
  { features: { x: 1 }, requestKey: undefined },
  { features: { x: Infinity } },
  { features: { x: -Infinity } },
  { features: { x: Number.NaN } },
  { features: { x: [1] } },
  { features: { x: { nested: 1 } } },
  { features: { x: undefined } },
  { features: [] },
  { features: null },
  { features: 'x' },
  { features: { x: 1 }, extra: true },
  {},
  { requestKey: 'k' },
  null,
  [],
  'features',
  42,
  JSON.parse('{"features":{"__proto__":{"x":1}}}'),
  JSON.parse('{"features":{"__proto__":1}}'),
  Object.assign(Object.create(null), { features: { x: 1 } }),
  { features: Object.assign(Object.create(null), { x: 1 }) },
  new (class Body {
    features = { x: 1 };
  })(),
];

function randomBody(rng: ReturnType<typeof createRng>): unknown {
  const values: unknown[] = [0, 1.5, -3, Infinity, null, true, 'a', 'x'.repeat(1001), [], {}, undefined, Number.NaN];
  const pick = <T>(xs: readonly T[]): T => xs[rng.nextInt(xs.length)]!;
  const f: Record<string, unknown> = {};
  for (let i = rng.nextInt(5); i > 0; i--) f[pick(['a', 'b', 'tenure', '', 'plan'])] = pick(values);
  const body: Record<string, unknown> = {};
  if (rng.nextFloat() < 0.9) body.features = rng.nextFloat() < 0.9 ? f : pick(values);
  if (rng.nextFloat() < 0.3) body.requestKey = pick(['k', '', 'k'.repeat(201), 3, null]);
  if (rng.nextFloat() < 0.1) body[pick(['extra', 'feature', 'request_key'])] = 1;
  return body;
}

describe('the predict route shortcut (fast-request-checks)', () => {
  const corpus = [
    ...edgeCases,
    ...Array.from(
      { length: 2000 },
      (
        (rng) => () =>
          randomBody(rng)
      )(createRng(5)),
    ),
  ];

  it('admits only bodies the schema accepts unchanged', () => {
    let admitted = 0;
    for (const body of corpus) {
      if (!admitsPredictBody(body)) continue;
      admitted++;
      const zod = PredictBodySchema.safeParse(body);
      expect(zod.success, JSON.stringify(body)).toBe(true);
      expect(zod.data).toStrictEqual(body);
    }
    // Most well-formed bodies take the shortcut, or it would save nothing.
    expect(admitted).toBeGreaterThan(200);
  });

  it('answers exactly as zod does for every body, refusals and their fields included', () => {
    for (const body of corpus) {
      const fast = parsePredictBody(body);
      const zod = PredictBodySchema.safeParse(body);
      expect(fast.success, JSON.stringify(body)).toBe(zod.success);
      if (fast.success && zod.success) expect(fast.data).toStrictEqual(zod.data);
      if (!fast.success && !zod.success) expect(fast.error.issues).toStrictEqual(zod.error.issues);
    }
  });

  it('names the field of a refused body as zod does (a non-finite feature, an over-long key)', () => {
    const infinite = parsePredictBody({ features: { tenure: Infinity } });
    expect(infinite.success).toBe(false);
    expect(infinite.error?.issues[0]?.path).toEqual(['features', 'tenure']);
    const longKey = parsePredictBody({ features: {}, requestKey: 'k'.repeat(201) });
    expect(longKey.error?.issues[0]?.path).toEqual(['requestKey']);
  });

  it('checks model ids as the params schema does', () => {
    for (const params of [
      { id: 'fraud-sea' },
      { id: 'a'.repeat(64) },
      { id: 'a'.repeat(65) },
      { id: 'Fraud' },
      { id: '-x' },
      { id: 'x.y_z' },
      { id: 3 },
      {},
      { id: 'x', other: 1 },
      Object.assign(Object.create(null), { id: 'fraud-sea' }),
      Object.assign(Object.create(Object.create(null)), { id: 'fraud-sea' }),
      Object.assign(Object.create(Object.create(null)), { id: 'Fraud' }),
      Object.create({ id: 'inherited' }),
      Object.assign(new Map(), { id: 'x' }),
      Object.assign([], { id: 'x' }),
      Object.assign(new Date(0), { id: 'x' }),
      null,
      'x',
    ]) {
      const fast = parseModelParams(params);
      const zod = ModelParamsSchema.safeParse(params);
      expect(fast.success, JSON.stringify(params)).toBe(zod.success);
      if (fast.success && zod.success) expect(fast.data).toStrictEqual(zod.data);
      if (!fast.success && !zod.success) expect(fast.error.issues).toStrictEqual(zod.error.issues);
    }
  });

  it('takes the shortcut for the params object Fastify hands the route (its router builds it on a null prototype)', async () => {
    const app = Fastify();
    let routed: unknown;
    app.post('/v1/models/:id/predict', async (request) => {
      routed = request.params;
      return {};
    });
    await app.inject({ method: 'POST', url: '/v1/models/fraud-sea/predict', payload: {} });
    await app.close();
    const zod = vi.spyOn(ModelParamsSchema, 'safeParse');
    try {
      expect(parseModelParams(routed)).toEqual({ success: true, data: { id: 'fraud-sea' } });
      expect(zod).not.toHaveBeenCalled();
    } finally {
      zod.mockRestore();
    }
  });
});
