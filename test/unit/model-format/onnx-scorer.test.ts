import { afterEach, describe, expect, it } from 'vitest';
import { disposeScorer, openScorer, openScorerShas } from '../../../src/adapters/model-formats/index.js';
import { ModelFormatError } from '../../../src/domain/model-format/linear-model.js';
import { categorical, numeric } from '../../../src/stats/table.js';
import {
  expectedScores,
  FIXTURE_FEATURES,
  fixtureBytes,
  fixturePath,
  NUMERIC_FEATURES,
  probeRows,
} from './onnx-fixtures.js';

const opened: string[] = [];
async function open(
  name: string,
  features = FIXTURE_FEATURES,
  task: 'binaryClassification' | 'regression' = 'binaryClassification',
) {
  const scorer = await openScorer({ bytes: fixtureBytes(name), features, task });
  opened.push(scorer.sha256);
  return scorer;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((sha) => disposeScorer(sha)));
});

/** The refusal of a model, as the one line a user reads. */
async function refusal(
  name: string | Uint8Array,
  features = FIXTURE_FEATURES,
  task: 'binaryClassification' | 'regression' = 'binaryClassification',
): Promise<string> {
  const bytes = typeof name === 'string' ? fixtureBytes(name) : name;
  const err = await openScorer({ bytes, features, task }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelFormatError);
  const message = (err as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('ONNX scorer: parity with the Python library on the fixtures', () => {
  it.each([
    ['forest-columns.onnx', FIXTURE_FEATURES, 'binaryClassification'],
    ['logreg-matrix.onnx', NUMERIC_FEATURES, 'binaryClassification'],
    ['gbdt200-matrix.onnx', NUMERIC_FEATURES, 'binaryClassification'],
    ['ridge-matrix.onnx', NUMERIC_FEATURES, 'regression'],
  ] as const)('%s scores the probe rows as the library did (1e-5)', async (name, features, task) => {
    const scorer = await open(name, features, task);
    const want = expectedScores(name);
    const got = await scorer.score(probeRows());
    expect(got).toHaveLength(want.length);
    const tolerance = task === 'regression' ? 1e-5 * Math.max(...want.map(Math.abs)) : 1e-5;
    got.forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThanOrEqual(tolerance));
  });

  it('reads a ZipMap classifier (sequence of maps) through its probability tensor and describes it', async () => {
    const scorer = await open('forest-columns.onnx');
    const d = scorer.describe();
    expect(d).toMatchObject({
      format: 'onnx',
      task: 'binaryClassification',
      features: [
        { name: 'tenure', kind: 'numeric' },
        { name: 'charges', kind: 'numeric' },
        { name: 'plan', kind: 'categorical' },
      ],
    });
    expect(d.onnx).toMatchObject({ inputLayout: 'columns', opset: { '': 17, 'ai.onnx.ml': 1 }, producer: 'skl2onnx' });
    expect(d.onnx?.inputs.map((i) => `${i.name}:${i.type}`)).toEqual([
      'tenure:float32',
      'charges:float32',
      'plan:string',
    ]);
    expect(d.onnx?.outputs.find((o) => o.name === 'output_probability')?.type).toBe('sequence/map');
    expect(d.onnx?.scoreOutput).not.toBe('output_probability');
  });

  it('scores a columnar table like the same rows as objects, missing values as NaN / empty category', async () => {
    const scorer = await open('forest-columns.onnx');
    const rows = [...probeRows(), { tenure: null, plan: null }, { charges: 'not a number', plan: 'unseen' }];
    const table = {
      rowCount: rows.length,
      columns: {
        tenure: numeric(rows.map((r) => (typeof r.tenure === 'number' ? r.tenure : Number.NaN))),
        charges: numeric(rows.map((r) => (typeof r.charges === 'number' ? r.charges : Number.NaN))),
        plan: categorical(rows.map((r) => (r.plan === null ? null : String(r.plan)))),
      },
    };
    const fromRows = await scorer.score(rows);
    expect(Array.from(await scorer.score(table))).toEqual(Array.from(fromRows));
    for (const p of fromRows) expect(p >= 0 && p <= 1).toBe(true);
  });

  it('answers concurrent single rows (one run per event-loop turn) exactly like a batch', async () => {
    const scorer = await open('gbdt200-matrix.onnx', NUMERIC_FEATURES);
    const rows = probeRows();
    const one = await Promise.all(rows.map((r) => scorer.scoreRow(r)));
    expect(one).toEqual(Array.from(await scorer.score(rows)));
  });
});

describe('ONNX sessions: one per artifact sha, released with the version', () => {
  it('opens an artifact once and reuses it until disposed', async () => {
    const a = await open('logreg-matrix.onnx', NUMERIC_FEATURES);
    const b = await openScorer({
      artifactPath: fixturePath('logreg-matrix.onnx'),
      features: NUMERIC_FEATURES,
      task: 'binaryClassification',
    });
    expect(b).toBe(a);
    expect(openScorerShas()).toContain(a.sha256);
    await disposeScorer(a.sha256);
    expect(openScorerShas()).not.toContain(a.sha256);
    await expect(a.score(probeRows())).rejects.toThrow(/released/);
    const c = await open('logreg-matrix.onnx', NUMERIC_FEATURES);
    expect(c).not.toBe(a);
    expect((await c.score(probeRows())).length).toBe(8);
  });
});

describe('ONNX input contract: a model that does not fit the spec is refused with one line', () => {
  it('wrong input name', async () => {
    expect(await refusal('bad-input-name.onnx')).toBe(
      "ONNX input 'tenure_months' (float32 [N,1]) is not a feature of the spec (tenure, charges, plan): expected one float [N,F] input in schema order or one [N,1] input per feature named after it",
    );
  });

  it('wrong feature count', async () => {
    expect(await refusal('bad-feature-count.onnx', NUMERIC_FEATURES)).toBe(
      "ONNX input 'input' is float32 [N,3] but the spec has 2 features: expected float32 [N,2] (tenure, charges)",
    );
  });

  it('categorical feature fed through one float matrix', async () => {
    expect(await refusal('logreg-matrix.onnx')).toMatch(
      /^ONNX input 'input' is one float32 \[N,2\] tensor but feature 'plan' is categorical/,
    );
  });

  it('missing probability output', async () => {
    expect(await refusal('bad-no-probability.onnx', NUMERIC_FEATURES)).toBe(
      "ONNX model has no probability output for binaryClassification: expected 'probabilities' or 'output_probability', found label (int64 [N])",
    );
  });

  it('a classifier under a regression spec', async () => {
    expect(await refusal('logreg-matrix.onnx', NUMERIC_FEATURES, 'regression')).toMatch(
      /^ONNX model has no value output for regression: expected 'variable' as float32 \[N,1\], found label \(int64 \[N\]\), probabilities \(float32 \[N,2\]\)$/,
    );
  });

  it('corrupt file: truncated, or not a model at all', async () => {
    const good = fixtureBytes('forest-columns.onnx');
    expect(await refusal(good.subarray(0, good.length - 200))).toMatch(/^artifact is not an ONNX model: /);
    expect(await refusal(new TextEncoder().encode('\x08\x07garbage that is not a model'))).toMatch(
      /^artifact is not (a loadable )?an? ?ONNX model/,
    );
  });
});
