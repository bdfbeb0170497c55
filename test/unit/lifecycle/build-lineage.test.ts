import { describe, expect, it } from 'vitest';
import { buildLineage, type LineageFacts } from '../../../src/domain/records/build-lineage.js';
import { lineageSchema } from '../../../src/domain/records/model-version.js';

const facts = (over: Partial<LineageFacts> = {}): LineageFacts => ({
  snapshot: { snapshotId: 'sea-0123', sha256: 'b'.repeat(64), rowCount: 2000 },
  codeVersion: 'git:abc1234',
  trained: { trainer: 'builtin', hyperparameters: { epochs: 15, l2: 0.0001 }, trainingMetrics: { trainLoss: 0.43 } },
  gate: {
    decision: 'promote',
    reasons: [
      {
        code: 'primary_improvement',
        status: 'passed',
        passed: true,
        message: 'accuracy improved by 0.05',
        observed: 0.05,
        limit: 0.01,
        subject: 'accuracy',
      },
    ],
    metrics: { challenger: { accuracy: 0.89, rocAuc: 0.9, f1: undefined } },
    significance: { test: 'mcnemar', pValue: 0.001, estimate: 0.05 },
    latencyP95Ms: 0.4,
  },
  champion: { version: 3, artifactSha256: 'c'.repeat(64) },
  trigger: {
    kinds: ['drift'],
    primary: 'drift',
    count: 2,
    firstAt: Date.UTC(2026, 10, 30, 12),
    lastAt: Date.UTC(2026, 10, 30, 12, 1),
    maxScore: { drift: 0.4567 },
    force: false,
    samples: [],
  },
  cycle: { workflowId: 'flywheel:sea:cycle:4', runId: 'run-4' },
  ...over,
});

describe('buildLineage', () => {
  it('records data, code, trainer, held-out metrics, the champion compared with, the gate and the trigger', () => {
    const lineage = buildLineage(facts());
    expect(lineage).toEqual({
      dataset: { snapshotId: 'sea-0123', sha256: 'b'.repeat(64), rowCount: 2000 },
      codeVersion: 'git:abc1234',
      trainer: { kind: 'builtin', hyperparameters: { epochs: 15, l2: 0.0001 } },
      metrics: { heldOut: { accuracy: 0.89, rocAuc: 0.9 }, training: { trainLoss: 0.43 } },
      comparedWith: { version: 3, artifactSha256: 'c'.repeat(64) },
      gate: {
        decision: 'promote',
        reasons: facts().gate.reasons,
        significance: { test: 'mcnemar', pValue: 0.001, estimate: 0.05 },
        latencyP95Ms: 0.4,
      },
      trigger: { kind: 'drift', reason: '2 triggers (drift) max drift 0.457', at: '2026-11-30T12:00:00.000Z' },
      cycle: { workflowId: 'flywheel:sea:cycle:4', runId: 'run-4' },
    });
    expect(lineageSchema.safeParse(lineage).success).toBe(true);
  });

  it('compares with nobody for a first model, or when the champion could not be loaded', () => {
    expect(buildLineage(facts({ champion: null })).comparedWith).toBeNull();
    const unservable = facts();
    expect(
      buildLineage({
        ...unservable,
        gate: { ...unservable.gate, championUnservable: { version: 3, kind: 'integrity' } },
      }).comparedWith,
    ).toBeNull();
  });

  it('names a warm start, leaves out a significance test that did not run, and says when the code version is unknown', () => {
    const f = facts({ codeVersion: undefined });
    const lineage = buildLineage({
      ...f,
      trained: { ...f.trained, warmStartedFromVersion: 3 },
      gate: { ...f.gate, significance: null },
    });
    expect(lineage.trainer.warmStartFromVersion).toBe(3);
    expect(lineage.gate).not.toHaveProperty('significance');
    expect(lineage.codeVersion).toBe('unknown');
  });
});
