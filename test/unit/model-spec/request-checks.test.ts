import { describe, expect, it } from 'vitest';
import {
  checkFeatures,
  checkLabel,
  servingSchemaOfSpec,
  type ServingSchema,
} from '../../../src/domain/model-spec/request-checks.js';
import { ModelSpecError, parseModelSpec, type ModelSpecInput } from '../../../src/domain/model-spec/model-spec.js';

const input = (over: Partial<ModelSpecInput> = {}): ModelSpecInput => ({
  id: 'm',
  task: 'binaryClassification',
  features: [
    { name: 'age', type: 'numeric', min: 0, max: 120 },
    {
      name: 'city',
      type: 'categorical',
      required: false,
      allowedValues: Array.from({ length: 30 }, (_, i) => `c${i}`),
    },
  ],
  label: { name: 'y' },
  dataSource: { kind: 'synthetic', generator: { name: 'sea' } },
  trainer: { kind: 'builtin' },
  ...over,
});
const schema = (over: Partial<ModelSpecInput> = {}): ServingSchema => servingSchemaOfSpec(parseModelSpec(input(over)));

describe('serving policy in the model spec', () => {
  it('defaults to refusing out-of-range values and names a bad policy', () => {
    expect(parseModelSpec(input()).serving).toEqual({ outOfRange: 'refuse' });
    expect(() => parseModelSpec(input({ serving: { outOfRange: 'clip' as 'refuse' } }))).toThrow(ModelSpecError);
    expect(() => parseModelSpec(input({ serving: { outOfRange: 'clip' as 'refuse' } }))).toThrow(/serving\.outOfRange/);
  });
});

describe('checkFeatures', () => {
  it('refuses a boolean or numeric-looking string for a numeric feature, and null for a required one', () => {
    expect(checkFeatures(schema(), { age: true }).issues).toEqual([
      {
        field: 'features.age',
        message: 'features.age: expected a finite number, got true; send age as a JSON number in 0..120',
      },
    ]);
    expect(checkFeatures(schema(), { age: '42' }).issues[0]?.message).toMatch(
      /^features\.age: expected a finite number, got "42"/,
    );
    expect(checkFeatures(schema(), { age: null }).issues[0]?.message).toMatch(
      /^features\.age: required feature is null/,
    );
  });

  it('lets an optional feature be absent or null, and lists at most 20 allowed values', () => {
    expect(checkFeatures(schema(), { age: 30, city: null })).toEqual({ issues: [], flags: [] });
    const [issue] = checkFeatures(schema(), { age: 30, city: 'atlantis' }).issues;
    expect(issue).toMatchObject({ field: 'features.city', outOfRange: true });
    expect(issue?.message).toContain('c19 (and 10 more)');
  });

  it('reports every problem, and under scoreAndFlag turns only range problems into flags', () => {
    const flagged = checkFeatures(schema({ serving: { outOfRange: 'scoreAndFlag' } }), { age: -1, city: 7 });
    expect(flagged.issues.map((i) => i.field)).toEqual(['features.city']);
    expect(flagged.flags).toEqual([
      { field: 'features.age', message: expect.stringContaining('-1 is below the minimum 0'), outOfRange: true },
    ]);
  });
});

describe('checkLabel', () => {
  it('takes 0/1 for a classifier and any finite number for regression', () => {
    expect(checkLabel('binaryClassification', 1)).toBeUndefined();
    expect(checkLabel('binaryClassification', 0.5)?.message).toBe(
      'label: a binaryClassification model takes 0 or 1 (or true/false), got 0.5; send the observed class',
    );
    expect(checkLabel('regression', -7.5)).toBeUndefined();
    expect(checkLabel('regression', Number.POSITIVE_INFINITY)?.field).toBe('label');
  });
});
