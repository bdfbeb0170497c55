import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadModelSpec } from '../../../src/adapters/spec-loader.js';
import { ModelSpecError, parseModelSpec } from '../../../src/domain/model-spec/model-spec.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));

const minimal = {
  id: 'demo',
  task: 'binaryClassification',
  features: [{ name: 'x', type: 'numeric' }],
  label: { name: 'y' },
  dataSource: { kind: 'synthetic', generator: { name: 'sea' } },
  trainer: { kind: 'builtin' },
};

function specError(input: unknown): ModelSpecError {
  try {
    parseModelSpec(input, 'spec.yaml');
  } catch (err) {
    if (err instanceof ModelSpecError) return err;
    throw err;
  }
  throw new Error('expected a ModelSpecError');
}

describe('model spec', () => {
  it('loads both example specs with every policy filled in and paths made absolute', async () => {
    const fraud = await loadModelSpec(path.join(examples, 'fraud-sea.yaml'));
    expect(fraud.dataSource).toMatchObject({ kind: 'synthetic', generator: { name: 'sea', noise: 0.1 } });
    expect(fraud.rollout.strategy).toBe('canary');
    expect(fraud.approval).toMatchObject({
      mode: 'manual',
      approvers: ['risk-lead@example.com'],
      timeoutMs: 24 * 3_600_000,
    });
    expect(fraud.gate).toMatchObject({ primaryMetric: 'accuracy', significance: { test: 'mcnemar' } });

    const churn = await loadModelSpec(path.join(examples, 'churn-csv.yaml'));
    expect(churn.dataSource).toMatchObject({ kind: 'csv', path: path.join(examples, 'data', 'churn.csv') });
    expect(churn.trainer).toMatchObject({ kind: 'command', cwd: path.resolve(examples, '..') });
    expect(churn.validation.minRows).toBe(500);
  });

  it('fills defaults for a minimal spec', () => {
    const spec = parseModelSpec(minimal);
    expect(spec.trainer).toMatchObject({ kind: 'builtin', strategy: 'fullRetrain', hyperparameters: { epochs: 40 } });
    expect(spec.rollout.strategy).toBe('canary');
    expect(spec.validation.maxMissingRate).toBe(0.05);
    expect(spec.features[0]).toEqual({ name: 'x', type: 'numeric', required: true });
  });

  it('names the path of every bad field', () => {
    const err = specError({
      ...minimal,
      gate: { minImprovement: '0.01' },
      features: [
        { name: 'x', type: 'numeric' },
        { name: 'x', type: 'text' },
      ],
    });
    expect(err.name).toBe('ModelSpecError');
    expect(err.message).toContain('Invalid model spec in spec.yaml');
    expect(err.message).toContain('gate.minImprovement: Expected number, received string');
    expect(err.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['gate.minImprovement', 'features[1].type']));
  });

  it('refuses cross-field mistakes with a hint', () => {
    expect(specError({ ...minimal, task: 'regression' }).message).toMatch(
      /gate\.primaryMetric: rocAuc is a binaryClassification metric but task is regression: use rmse, mae or r2/,
    );
    expect(specError({ ...minimal, label: { name: 'x' } }).message).toMatch(
      /label\.name: Label "x" is also listed as a feature/,
    );
    expect(specError({ ...minimal, gate: { slices: [{ column: 'region', maxDrop: 0.1 }] } }).message).toMatch(
      /gate\.slices\[0\]\.column: "region" is not a feature/,
    );
    expect(specError({ ...minimal, dataSource: { kind: 'parquet', path: 'x' } }).issues[0]?.path).toBe(
      'dataSource.kind',
    );
  });

  it('reports a YAML syntax error with its line, and an unknown extension', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ct-spec-'));
    const file = path.join(dir, 'broken.yaml');
    await writeFile(file, 'id: demo\ntask: [unclosed\n');
    await expect(loadModelSpec(file)).rejects.toThrow(ModelSpecError);
    await expect(loadModelSpec(file)).rejects.toThrow(/broken\.yaml is not valid YAML at line \d/);
    const toml = path.join(dir, 'spec.toml');
    await writeFile(toml, '');
    await expect(loadModelSpec(toml)).rejects.toThrow(/must end in \.yaml, \.yml or \.json/);
  });

  it('loads JSON too and names the file in field errors', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ct-spec-'));
    const file = path.join(dir, 'spec.json');
    await writeFile(file, JSON.stringify({ ...minimal, trainer: { kind: 'builtin', hyperparameters: { epochs: 0 } } }));
    await expect(loadModelSpec(file)).rejects.toThrow(
      new RegExp(`in ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[\\s\\S]*trainer\\.hyperparameters\\.epochs`),
    );
  });
});
