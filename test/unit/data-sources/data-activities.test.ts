import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDataActivities, type ValidationReport } from '../../../src/activities/data-activities.js';
import { createDataSources } from '../../../src/adapters/data-sources/index.js';
import { LocalModelRegistry } from '../../../src/adapters/registry/index.js';
import { parseModelSpec } from '../../../src/domain/model-spec/model-spec.js';
import { sampleLineage } from '../../support/sample-lineage.js';
import { seaSpec } from '../../support/lifecycle-fixtures.js';

let root: string;
let registry: LocalModelRegistry;
let activities: ReturnType<typeof createDataActivities>;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ct-data-act-'));
  const snapshotRoot = path.join(root, 'snapshots');
  registry = new LocalModelRegistry({ root: path.join(root, 'registry') });
  activities = createDataActivities({ dataSources: createDataSources({ snapshotRoot }), registry, snapshotRoot });
});

const csvSpec = (file: string) =>
  parseModelSpec({
    id: 'loans',
    task: 'binaryClassification',
    features: [
      { name: 'income', type: 'numeric', min: 0 },
      { name: 'region', type: 'categorical' },
    ],
    label: { name: 'default' },
    dataSource: { kind: 'csv', path: file },
    trainer: { kind: 'builtin' },
    validation: { minRows: 20 },
  });

async function failure(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('data activities', () => {
  it('snapshotData is idempotent for a window; validateData passes clean data and reports drift vs the champion', async () => {
    const spec = seaSpec({ dataSource: { kind: 'synthetic', generator: { name: 'sea' }, rowsPerWindow: 1000 } });
    const pre = await activities.snapshotData({ spec, cycleId: 'c1', window: 9 });
    expect(await activities.snapshotData({ spec, cycleId: 'c1-retry', window: 9 })).toEqual(pre);

    const first = await activities.validateData({ spec, snapshot: pre });
    expect(first).toMatchObject({
      passed: true,
      drift: null,
      driftSkipped: 'first model: no champion to compare with',
    });

    const { version } = await registry.registerVersion({
      modelId: spec.id,
      cycleId: 'c1',
      artifactSha256: (await registry.putArtifact(new TextEncoder().encode('{}'))).sha256,
      lineage: sampleLineage({ dataset: { snapshotId: pre.snapshotId, sha256: pre.sha256 } }),
    });
    const post = await activities.snapshotData({ spec, cycleId: 'c2', window: 10 });
    const second = await activities.validateData({ spec, snapshot: post, championVersion: version.version });
    // SEA changes P(y | x), not P(x): the features must not look drifted.
    expect(second.passed).toBe(true);
    expect(second.drift?.columns.map((c) => c.column).sort()).toEqual(['f1', 'f2', 'f3']);
    expect(second.drift?.datasetDrift).toBe(false);
  });

  it('flags covariate shift as drift and can fail the cycle on it', async () => {
    const base = {
      id: 'shift',
      task: 'binaryClassification',
      label: { name: 'y' },
      trainer: { kind: 'builtin' },
      features: [
        { name: 'x1', type: 'numeric' },
        { name: 'x2', type: 'numeric' },
        { name: 'segment', type: 'categorical' },
      ],
      dataSource: { kind: 'synthetic', generator: { name: 'covariateShift', shiftAtWindow: 5 }, rowsPerWindow: 1000 },
    } as const;
    const spec = parseModelSpec({ ...base, validation: { drift: { failOnDrift: true } } });
    const before = await activities.snapshotData({ spec, cycleId: 's1', window: 4 });
    const { version } = await registry.registerVersion({
      modelId: 'shift',
      cycleId: 's1',
      artifactSha256: (await registry.putArtifact(new TextEncoder().encode('shift'))).sha256,
      lineage: sampleLineage({ dataset: { snapshotId: before.snapshotId, sha256: before.sha256 } }),
    });
    const after = await activities.snapshotData({ spec, cycleId: 's2', window: 5 });
    const err = await failure(activities.validateData({ spec, snapshot: after, championVersion: version.version }));
    expect(err).toMatchObject({ type: 'DataValidationFailed', nonRetryable: true });
    const report = err.details?.[0] as ValidationReport;
    expect(report.drift?.driftedColumns).toEqual(expect.arrayContaining(['x1', 'x2', 'segment']));
    expect(err.message).toMatch(/drift vs champion in .*failOnDrift is set/);
  });

  it('a bad dataset fails validation with the report, never reaching training', async () => {
    const file = path.join(root, 'loans.csv');
    const rows = Array.from(
      { length: 40 },
      (_, i) => `${i % 4 === 0 ? '' : 1000 + i},${i % 2 ? 'north' : 'south'},${i % 3 === 0 ? 1 : 0}`,
    );
    await writeFile(file, `income,region,default\n${rows.join('\n')}\n`);
    const spec = csvSpec(file);
    const snapshot = await activities.snapshotData({ spec, cycleId: 'l1' });
    const err = await failure(activities.validateData({ spec, snapshot }));
    expect(err.type).toBe('DataValidationFailed');
    const report = err.details?.[0] as ValidationReport;
    expect(report.passed).toBe(false);
    expect(report.quality.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ check: 'missing-rate', column: 'income', severity: 'error' })]),
    );
  });

  it('a missing required column is a non-retryable DatasetSchema failure naming column and file', async () => {
    const file = path.join(root, 'no-region.csv');
    await writeFile(file, 'income,default\n1,0\n');
    const err = await failure(activities.snapshotData({ spec: csvSpec(file), cycleId: 'l2' }));
    expect(err).toMatchObject({ type: 'DatasetSchema', nonRetryable: true });
    expect(err.details?.[0]).toMatchObject({ column: 'region', file });
    expect(err.message).toContain('required column "region" is missing');
  });
});
