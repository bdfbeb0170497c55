import { describe, expect, it } from 'vitest';
import { ksTwoSample } from '../../../../src/stats/drift/ks.js';
import { kolmogorovSf } from '../../../../src/stats/drift/kolmogorov-distribution.js';
import { chiSquareHomogeneity } from '../../../../src/stats/drift/chi-square.js';
import { twoProportionZTest } from '../../../../src/stats/drift/two-proportion-z.js';
import { populationStabilityIndex } from '../../../../src/stats/drift/psi.js';
import { jensenShannonDistance } from '../../../../src/stats/drift/jensen-shannon.js';
import { wasserstein1, wasserstein1Normed } from '../../../../src/stats/drift/wasserstein.js';
import { benjaminiHochberg } from '../../../../src/stats/drift/benjamini-hochberg.js';
import { chiSquareGoodnessOfFit } from '../../../../src/stats/drift/chi-square-goodness-of-fit.js';
import { driftReport } from '../../../../src/stats/drift/drift-report.js';
import { buildReferenceProfile } from '../../../../src/stats/drift/reference-profile.js';
import { numeric } from '../../../../src/stats/table.js';
import { closeTo, loadGoldenCases, replay, type GoldenCase, type SampleInput } from './golden-data.js';

const STAT_REL = 1e-12;
const P_REL = 1e-9;
const P_ABS = 1e-15;

const cases = loadGoldenCases();
const byFunction = (name: string): GoldenCase[] => cases.filter((c) => c.function === name);
const num = (v: unknown): number => v as number;

function expectStat(actual: number, expected: unknown, what: string): void {
  expect(closeTo(actual, num(expected), STAT_REL), `${what}: ${actual} vs scipy ${String(expected)}`).toBe(true);
}
function expectP(actual: number, expected: unknown, what: string): void {
  expect(closeTo(actual, num(expected), P_REL, P_ABS), `${what}: p ${actual} vs scipy ${String(expected)}`).toBe(true);
}

describe('golden drift fixture (scipy/numpy reference values)', () => {
  it('covers every drift function with enough cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    for (const f of [
      'ks',
      'chi-square',
      'z-test',
      'psi',
      'jensen-shannon',
      'wasserstein',
      'benjamini-hochberg',
      'chi-square-gof',
      'evidently-psi-js',
      'sketch',
    ]) {
      expect(byFunction(f).length, f).toBeGreaterThanOrEqual(10);
    }
  });

  it.each(byFunction('ks').map((c) => [c.id, c] as const))('KS %s', (_id, c) => {
    const r = ksTwoSample(replay(c.inputs.a as SampleInput), replay(c.inputs.b as SampleInput));
    expectStat(r.statistic, c.expected.statistic, c.id);
    expectP(r.pValue, c.expected.pValue, c.id);
  });

  it.each(byFunction('kolmogorov').map((c) => [c.id, c] as const))('Kolmogorov tail %s', (_id, c) => {
    expectP(kolmogorovSf(num(c.inputs.n), num(c.inputs.x)), c.expected.pValue, c.id);
  });

  it.each(byFunction('chi-square').map((c) => [c.id, c] as const))('chi-square %s', (_id, c) => {
    const r = chiSquareHomogeneity(
      c.inputs.reference as Record<string, number>,
      c.inputs.current as Record<string, number>,
    );
    expectStat(r.statistic, c.expected.statistic, c.id);
    expectP(r.pValue, c.expected.pValue, c.id);
    expect(r.degreesOfFreedom).toBe(c.expected.degreesOfFreedom);
  });

  it.each(byFunction('z-test').map((c) => [c.id, c] as const))('z-test %s', (_id, c) => {
    const i = c.inputs as { successes1: number; n1: number; successes2: number; n2: number };
    const r = twoProportionZTest(i.successes1, i.n1, i.successes2, i.n2);
    expectStat(r.statistic, c.expected.statistic, c.id);
    expectP(r.pValue, c.expected.pValue, c.id);
  });

  it.each(byFunction('psi').map((c) => [c.id, c] as const))('PSI %s', (_id, c) => {
    const r = populationStabilityIndex(replay(c.inputs.a as SampleInput), replay(c.inputs.b as SampleInput), {
      bins: num(c.inputs.bins),
    });
    expect(r.referenceCounts).toEqual(c.expected.referenceCounts);
    expect(r.currentCounts).toEqual(c.expected.currentCounts);
    (c.expected.cutPoints as number[]).forEach((q, k) => expectStat(r.cutPoints[k]!, q, `${c.id} cut ${k}`));
    expectStat(r.statistic, c.expected.statistic, c.id);
  });

  it.each(byFunction('jensen-shannon').map((c) => [c.id, c] as const))('Jensen-Shannon %s', (_id, c) => {
    const base = c.inputs.base === null ? undefined : num(c.inputs.base);
    const r = jensenShannonDistance(c.inputs.p as number[], c.inputs.q as number[], base);
    // An identical pair is 0 in exact arithmetic; scipy leaves ~1e-8 of rounding noise.
    if (num(c.expected.statistic) < 1e-7) expect(r).toBeLessThan(1e-7);
    else expectStat(r, c.expected.statistic, c.id);
  });

  it.each(byFunction('wasserstein').map((c) => [c.id, c] as const))('Wasserstein %s', (_id, c) => {
    const a = replay(c.inputs.a as SampleInput);
    const b = replay(c.inputs.b as SampleInput);
    expectStat(wasserstein1(a, b), c.expected.statistic, c.id);
    expectStat(wasserstein1Normed(a, b), c.expected.normed, `${c.id} normed`);
  });

  it.each(byFunction('benjamini-hochberg').map((c) => [c.id, c] as const))('Benjamini-Hochberg %s', (_id, c) => {
    const adjusted = benjaminiHochberg(c.inputs.pValues as number[]);
    (c.expected.adjusted as number[]).forEach((q, i) => expectStat(adjusted[i]!, q, `${c.id}[${i}]`));
  });

  it.each(byFunction('chi-square-gof').map((c) => [c.id, c] as const))(
    'chi-square goodness of fit (Evidently) %s',
    (_id, c) => {
      const r = chiSquareGoodnessOfFit(
        c.inputs.reference as Record<string, number>,
        c.inputs.current as Record<string, number>,
      );
      if (c.expected.statistic === 'inf') expect(r.statistic).toBe(Infinity);
      else expectStat(r.statistic, c.expected.statistic, c.id);
      expectP(r.pValue, c.expected.pValue, c.id);
      expect(r.degreesOfFreedom).toBe(c.expected.degreesOfFreedom);
    },
  );

  it.each(byFunction('evidently-psi-js').map((c) => [c.id, c] as const))('Evidently-mode PSI and JS %s', (_id, c) => {
    const a = replay(c.inputs.a as SampleInput);
    const b = replay(c.inputs.b as SampleInput);
    const profile = buildReferenceProfile({ rowCount: a.length, columns: { x: numeric(a) } }, { exactLimit: a.length });
    const current = { rowCount: b.length, columns: { x: numeric(b) } };
    for (const [method, key] of [
      ['psi', 'psi'],
      ['jensen-shannon', 'jensenShannon'],
    ] as const) {
      const col = driftReport(profile, current, { compatibility: 'evidently', methods: { x: method } }).columns[0]!;
      expect(
        closeTo(col.statistic, num(c.expected[key]), 1e-10, 1e-15),
        `${c.id} ${method}: ${col.statistic} vs ${String(c.expected[key])}`,
      ).toBe(true);
    }
  });

  it.each(byFunction('sketch').map((c) => [c.id, c] as const))(
    'sketched reference within its errorBound of scipy %s',
    (_id, c) => {
      const a = replay(c.inputs.a as SampleInput);
      const b = replay(c.inputs.b as SampleInput);
      // exactLimit 1000: these small references are sketched (the default limit would keep them whole).
      const profile = buildReferenceProfile({ rowCount: a.length, columns: { x: numeric(a) } }, { exactLimit: 1000 });
      const current = { rowCount: b.length, columns: { x: numeric(b) } };
      const wn = driftReport(profile, current, { methods: { x: 'wasserstein-normed' } }).columns[0]!;
      expect(wn.approximate).toBe(true);
      expect(
        Math.abs(wn.statistic - num(c.expected.normed)),
        `${c.id}: ${wn.statistic} ± ${wn.errorBound} vs scipy ${String(c.expected.normed)}`,
      ).toBeLessThanOrEqual(wn.errorBound! + 1e-12);
      const ks = driftReport(profile, current, { methods: { x: 'ks' } }).columns[0]!;
      expect(num(c.expected.ksStatistic)).toBeGreaterThanOrEqual(ks.statistic - 1e-12);
      expect(num(c.expected.ksStatistic)).toBeLessThanOrEqual(ks.statistic + ks.errorBound! + 1e-12);
    },
  );
});
