import type { FairnessEvidence, SliceEvidence } from '../../domain/evaluation-gate/gate-input.js';
import type { Task } from '../../domain/features.js';
import type { GatePolicy } from '../../domain/policies/gate-policy.js';
import { fairnessGaps } from '../../stats/metrics/index.js';
import type { Column, Table } from '../../stats/table.js';
import { hardPredictions, metricValues } from './model-metrics.js';
import type { PairedScores } from './significance.js';

const MISSING = '(missing)';

function groupValues(column: Column | undefined, name: string): (string | null)[] {
  if (!column) throw new Error(`held-out data has no column "${name}" to slice or group by`);
  if (column.kind === 'categorical') return [...column.values];
  return Array.from(column.values, (v) => (Number.isNaN(v) ? null : String(v)));
}

const primaryOn = (task: Task, metric: string, y: Float64Array, s: Float64Array, threshold: number): number => {
  try {
    return (metricValues(task, y, s, threshold) as Record<string, number | undefined>)[metric] ?? Number.NaN;
  } catch {
    return Number.NaN; // e.g. a slice with one class: the gate reports it as not judged
  }
};

/** The primary metric of both models on every value of each sliced column. */
export function sliceEvidence(
  policy: GatePolicy,
  task: Task,
  rows: Table,
  s: PairedScores,
  hasChampion: boolean,
): SliceEvidence[] {
  const out: SliceEvidence[] = [];
  for (const limit of policy.slices) {
    const values = groupValues(rows.columns[limit.column], limit.column);
    const groups = new Map<string, number[]>();
    values.forEach((v, i) => {
      const key = v ?? MISSING;
      const list = groups.get(key) ?? [];
      list.push(i);
      groups.set(key, list);
    });
    for (const [value, idx] of groups) {
      const y = Float64Array.from(idx, (i) => s.yTrue[i]!);
      const ch = Float64Array.from(idx, (i) => s.challenger[i]!);
      const cp = Float64Array.from(idx, (i) => s.champion[i]!);
      out.push({
        column: limit.column,
        value,
        rows: idx.length,
        challenger: primaryOn(task, policy.primaryMetric, y, ch, s.challengerThreshold),
        ...(hasChampion ? { champion: primaryOn(task, policy.primaryMetric, y, cp, s.championThreshold) } : {}),
      });
    }
  }
  return out;
}

/** Demographic parity and equal opportunity gaps of the challenger's hard predictions. */
export function fairnessEvidence(policy: GatePolicy, rows: Table, s: PairedScores): FairnessEvidence[] {
  return policy.fairness.map((limit) => {
    const gaps = fairnessGaps(
      groupValues(rows.columns[limit.groupColumn], limit.groupColumn),
      s.yTrue,
      hardPredictions(s.challenger, s.challengerThreshold),
    );
    return {
      groupColumn: limit.groupColumn,
      demographicParityDiff: gaps.demographicParityDifference,
      equalOpportunityDiff: gaps.equalOpportunityDifference,
    };
  });
}
