import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseModelSpec } from '../../../../src/domain/model-spec/model-spec.js';
import { DRIFT_METHOD_IDS, driftCheckPolicySchema } from '../../../../src/domain/policies/validation-policy.js';
import { DriftMethod } from '../../../../src/stats/drift/drift-method.js';
import { driftReport } from '../../../../src/stats/drift/drift-report.js';
import { driftReportOptions } from '../../../../src/stats/drift/drift-settings.js';
import { buildReferenceProfile } from '../../../../src/stats/drift/reference-profile.js';
import { categorical, numeric, type Table } from '../../../../src/stats/table.js';
import { normalSample } from './synthetic.js';

/** Every `validation.drift` setting, parsed as a spec would be, must move a verdict. */
const repeat = (counts: Record<string, number>): string[] =>
  Object.entries(counts).flatMap(([k, n]) => Array<string>(n).fill(k));
const reference: Table = {
  rowCount: 150,
  columns: { x: numeric(normalSample(1, 150)), c: categorical(repeat({ a: 50, b: 50, c: 50 })) },
};
const current: Table = {
  rowCount: 150,
  columns: { x: numeric(normalSample(2, 150, 0.25)), c: categorical(repeat({ a: 64, b: 46, c: 40 })) },
};
const profile = buildReferenceProfile(reference);
const reportWith = (drift: Record<string, unknown>) =>
  driftReport(profile, current, driftReportOptions(driftCheckPolicySchema.parse(drift), ['x', 'c']));
const column = (drift: Record<string, unknown>, name: string) =>
  reportWith(drift).columns.find((c) => c.column === name)!;

describe('validation.drift settings each move a verdict', () => {
  it('psiThreshold applies to a feature whose method is psi', () => {
    const psi = column({ methods: { x: 'psi' } }, 'x');
    expect(psi.method).toBe('psi');
    expect(psi.statistic).toBeGreaterThan(0.0001);
    expect(psi.statistic).toBeLessThan(100);
    expect(column({ methods: { x: 'psi' }, psiThreshold: 0.0001 }, 'x').drifted).toBe(true);
    expect(column({ methods: { x: 'psi' }, psiThreshold: 100 }, 'x').drifted).toBe(false);
    expect(column({ methods: { x: 'psi' }, psiThreshold: psi.statistic }, 'x').drifted).toBe(true);
    expect(column({ methods: { x: 'psi' }, psiThreshold: psi.statistic * 1.0001 }, 'x').drifted).toBe(false);
  });

  it('alpha is the p-value level of KS and chi-square', () => {
    const ks = column({}, 'x');
    expect(ks.method).toBe('ks');
    expect(column({ alpha: Math.min(0.999, ks.pValue! * 1.01) }, 'x').drifted).toBe(true);
    expect(column({ alpha: ks.pValue! * 0.99 }, 'x').drifted).toBe(false);
  });

  it('compatibility switches chi-square to goodness-of-fit, and the defaults to Evidently’s (alpha 0.05, PSI 0.1)', () => {
    // Issue 15: reference {a:50, b:50, c:50}, current {a:64, b:46, c:40}.
    const ours = column({ alpha: 0.05 }, 'c');
    const evidently = column({ compatibility: 'evidently' }, 'c');
    expect(ours.pValue).toBeCloseTo(0.2234566124, 9);
    expect(ours.drifted).toBe(false);
    expect(evidently.pValue).toBeCloseTo(0.0441571684, 9);
    expect(evidently.threshold).toBe(0.05);
    expect(evidently.drifted).toBe(true);
    expect(driftCheckPolicySchema.parse({ compatibility: 'evidently' })).toMatchObject({
      alpha: 0.05,
      psiThreshold: 0.1,
    });
    expect(driftCheckPolicySchema.parse({})).toMatchObject({ alpha: 0.01, psiThreshold: 0.2 });
  });

  it('datasetDriftShare decides the dataset verdict', () => {
    // Under 'evidently' only c drifts (x's KS p ≈ 0.36): a share of 0.5.
    const evidently = { compatibility: 'evidently' };
    expect(reportWith(evidently).driftedColumns).toEqual(['c']);
    expect(reportWith({ ...evidently, datasetDriftShare: 0.5 }).datasetDrift).toBe(true);
    expect(reportWith({ ...evidently, datasetDriftShare: 0.51 }).datasetDrift).toBe(false);
  });

  it('the spec’s method ids are exactly the stats layer’s', () => {
    expect([...DRIFT_METHOD_IDS].sort()).toEqual(Object.values(DriftMethod).sort());
  });

  it('a model spec refuses a method for an unknown feature or a numeric test on a categorical one, naming the field', () => {
    const spec = parseYaml(
      readFileSync(new URL('../../../../examples/churn-csv.yaml', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const features = spec.features as Array<{ name: string; type: string }>;
    const cat = features.find((f) => f.type === 'categorical')!.name;
    const withMethods = (methods: Record<string, string>) => ({
      ...spec,
      validation: { ...(spec.validation as object), drift: { methods } },
    });
    expect(() => parseModelSpec(withMethods({ nope: 'psi' }))).toThrow(
      /validation\.drift\.methods\.nope: "nope" is not a feature/,
    );
    expect(() => parseModelSpec(withMethods({ [cat]: 'ks' }))).toThrow(
      new RegExp(`validation\\.drift\\.methods\\.${cat}: ks compares numbers`),
    );
    expect(parseModelSpec(withMethods({ [cat]: 'psi' })).validation.drift.methods).toEqual({ [cat]: 'psi' });
  });
});

describe('validation.drift parses to one key order', () => {
  it('whether alpha and psiThreshold were given or filled in, so a re-parsed spec serializes the same', () => {
    const once = driftCheckPolicySchema.parse({});
    const twice = driftCheckPolicySchema.parse(JSON.parse(JSON.stringify(once)));
    expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
  });
});
