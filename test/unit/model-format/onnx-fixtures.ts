import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FeatureSpec } from '../../../src/domain/features.js';

/** test/fixtures/onnx: small ONNX models written by generate.py (see its README). */
export const fixturePath = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/onnx/${name}`, import.meta.url));
export const fixtureBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(fixturePath(name)));

/** The fixtures' feature schema, in schema order. */
export const FIXTURE_FEATURES: FeatureSpec[] = [
  { name: 'tenure', type: 'numeric', required: true },
  { name: 'charges', type: 'numeric', required: true },
  { name: 'plan', type: 'categorical', required: true },
];
export const NUMERIC_FEATURES = FIXTURE_FEATURES.slice(0, 2);

interface Expected {
  probe: { tenure: number[]; charges: number[]; plan: string[] };
  [model: string]: unknown;
}
/** The Python library's own predictions on the probe rows (probability of class 1, or the value). */
export const expected = JSON.parse(readFileSync(fixturePath('expected.json'), 'utf8')) as Expected;
export const expectedScores = (model: string): number[] => expected[model] as number[];
export const probeRows = (): Array<Record<string, unknown>> =>
  expected.probe.tenure.map((t, i) => ({
    tenure: t,
    charges: expected.probe.charges[i],
    plan: expected.probe.plan[i],
  }));
