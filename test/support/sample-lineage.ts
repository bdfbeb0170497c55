import type { LineageInput } from '../../src/domain/records/index.js';

/** A complete, valid lineage for registry tests; `over` replaces top-level fields. */
export function sampleLineage(over: Partial<LineageInput> = {}): LineageInput {
  return {
    dataset: { snapshotId: 'snap-2026-11-01', sha256: 'a'.repeat(64), rowCount: 5000 },
    codeVersion: 'git:0123abc',
    trainer: { kind: 'builtin', name: 'logistic-regression', hyperparameters: { l2: 0.01, epochs: 20 } },
    metrics: { heldOut: { rocAuc: 0.91, accuracy: 0.86 } },
    comparedWith: null,
    gate: { decision: 'promote', reasons: [] },
    trigger: { kind: 'schedule' },
    cycle: { workflowId: 'flywheel:sea:cycle:1', runId: 'run-1' },
    ...over,
  };
}
