import { describe, expect, it } from 'vitest';
import { ksTwoSample } from '../../../../src/stats/drift/ks.js';
import { kolmogorovSf } from '../../../../src/stats/drift/kolmogorov-distribution.js';
import { chiSquareHomogeneity } from '../../../../src/stats/drift/chi-square.js';
import { twoProportionZTest } from '../../../../src/stats/drift/two-proportion-z.js';
import { populationStabilityIndex } from '../../../../src/stats/drift/psi.js';
import { jensenShannonDistance } from '../../../../src/stats/drift/jensen-shannon.js';
import { wasserstein1, wasserstein1Normed } from '../../../../src/stats/drift/wasserstein.js';
import { benjaminiHochberg } from '../../../../src/stats/drift/benjamini-hochberg.js';
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
    for (const f of ['ks', 'chi-square', 'z-test', 'psi', 'jensen-shannon', 'wasserstein', 'benjamini-hochberg']) {
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
    const r = chiSquareHomogeneity(c.inputs.reference as Record<string, number>, c.inputs.current as Record<string, number>);
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
    const r = populationStabilityIndex(replay(c.inputs.a as SampleInput), replay(c.inputs.b as SampleInput), { bins: num(c.inputs.bins) });
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
});
