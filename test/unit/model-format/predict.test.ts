import { describe, expect, it } from 'vitest';
import {
  LINEAR_MODEL_FORMAT,
  ModelFormatError,
  parseLinearModel,
  serializeLinearModel,
  type LinearModel,
} from '../../../src/domain/model-format/linear-model.js';
import { linearScore, predict, predictProba, scoreColumns } from '../../../src/domain/model-format/predict.js';
import { categorical, numeric } from '../../../src/stats/table.js';

const model: LinearModel = parseLinearModel({
  format: LINEAR_MODEL_FORMAT,
  task: 'binaryClassification',
  label: 'churned',
  features: [
    { name: 'tenure', kind: 'numeric', mean: 10, std: 5, weight: -2 },
    { name: 'plan', kind: 'categorical', categories: ['basic', 'pro'], weights: [0.5, -1] },
  ],
  intercept: 0.25,
  labelThreshold: 0.6,
});

describe('linear model format', () => {
  it('scores standardization + one-hot + logistic exactly as documented', () => {
    // z = 0.25 + (-2)(20-10)/5 + 0.5 = -3.25
    expect(linearScore(model, { tenure: 20, plan: 'basic' })).toBeCloseTo(-3.25, 12);
    expect(predictProba(model, { tenure: 20, plan: 'basic' })).toBeCloseTo(1 / (1 + Math.exp(3.25)), 12);
  });

  it('treats a missing number as the mean and an unseen or missing category as no term', () => {
    expect(linearScore(model, { plan: 'pro' })).toBeCloseTo(0.25 - 1, 12);
    expect(linearScore(model, { tenure: null, plan: 'enterprise' })).toBeCloseTo(0.25, 12);
    expect(linearScore(model, { tenure: '15', plan: null })).toBeCloseTo(0.25 - 2, 12);
  });

  it('uses the model threshold for the 0/1 answer', () => {
    // z = 0.25 + 0 + 0.5 = 0.75 → p ≈ 0.679 ≥ 0.6
    expect(predict(model, { tenure: 10, plan: 'basic' })).toBe(1);
    // z = 0.25 → p ≈ 0.562 < 0.6
    expect(predict(model, { tenure: 10 })).toBe(0);
  });

  it('scores a columnar table the same as row by row', () => {
    const rows = [
      { tenure: 3, plan: 'pro' },
      { tenure: Number.NaN, plan: null },
      { tenure: 40, plan: 'basic' },
    ];
    const table = {
      rowCount: 3,
      columns: { tenure: numeric(rows.map((r) => r.tenure)), plan: categorical(rows.map((r) => r.plan)) },
    };
    const batch = scoreColumns(model, table);
    rows.forEach((row, i) => expect(batch[i]).toBeCloseTo(predictProba(model, row), 14));
  });

  it('predicts the linear value for regression and refuses predictProba', () => {
    const ridge = parseLinearModel({ ...model, task: 'regression', labelThreshold: undefined });
    expect(predict(ridge, { tenure: 15, plan: 'pro' })).toBeCloseTo(0.25 - 2 - 1, 12);
    expect(() => predictProba(ridge, {})).toThrow(/binaryClassification/);
  });

  it('refuses a malformed artifact naming the bad field', () => {
    const bad = { ...model, features: [{ name: 'plan', kind: 'categorical', categories: ['a', 'b'], weights: [1] }] };
    expect(() => parseLinearModel(JSON.stringify(bad))).toThrow(ModelFormatError);
    expect(() => parseLinearModel(bad)).toThrow(
      /features\.0\.weights: categories and weights must have the same length/,
    );
    expect(() =>
      parseLinearModel({ ...model, features: [{ name: 'x', kind: 'numeric', mean: 0, std: 0, weight: 1 }] }),
    ).toThrow(/features\.0\.std/);
    expect(() => parseLinearModel('{not json')).toThrow(/not JSON/);
  });

  it('round-trips through its canonical serialization', () => {
    expect(parseLinearModel(serializeLinearModel(model))).toEqual(model);
  });
});
