import type { CycleSummary } from '../../domain/flywheel/cycle-report.js';
import type { FlywheelStatus } from '../../domain/flywheel/flywheel-state.js';
import type { ModelVersion } from '../../domain/records/model-version.js';
import { formatMs, isoTime, renderTable, truncate } from './output.js';

/** One line of `flywheel history`: a cycle (from the flywheel) joined with the version it registered (from the registry). */
export interface HistoryRow {
  cycle: number | null;
  workflowId: string;
  trigger: string;
  outcome: string;
  reason: string;
  startedAt: number | null;
  endedAt: number | null;
  candidateVersion: number | null;
  version?: { stage: string; heldOut: Record<string, number>; approval?: string; rollout?: string; dataset: string };
}

function versionFacts(v: ModelVersion): NonNullable<HistoryRow['version']> {
  return {
    stage: v.stage,
    heldOut: v.lineage.metrics.heldOut,
    ...(v.approval ? { approval: `${v.approval.decision} by ${v.approval.by}` } : {}),
    ...(v.rollout ? { rollout: v.rollout.outcome } : {}),
    dataset: v.lineage.dataset.snapshotId,
  };
}

function fromCycle(c: CycleSummary): HistoryRow {
  return { cycle: c.cycle, workflowId: c.workflowId, trigger: c.trigger, outcome: c.outcome, reason: c.reason, startedAt: c.startedAt, endedAt: c.endedAt, candidateVersion: c.candidateVersion ?? null };
}

/**
 * Cycles the flywheel remembers (its last few, plus the one in flight), enriched with the
 * registry's manifest of each candidate; registry versions older than the flywheel's memory
 * are added from their lineage. Oldest first.
 */
export function historyRows(status: FlywheelStatus, versions: readonly ModelVersion[]): HistoryRow[] {
  const rows = status.recentCycles.map(fromCycle);
  const f = status.inFlight;
  if (f) rows.push({ cycle: f.cycle, workflowId: f.workflowId, trigger: f.trigger.primary, outcome: `in flight (${f.step})`, reason: '', startedAt: f.startedAt, endedAt: null, candidateVersion: f.candidateVersion ?? null });
  const byCycle = new Map(versions.map((v) => [v.lineage.cycle.workflowId, v]));
  for (const row of rows) {
    const v = byCycle.get(row.workflowId);
    if (v) {
      row.version = versionFacts(v);
      row.candidateVersion ??= v.version;
      byCycle.delete(row.workflowId);
    }
  }
  for (const v of byCycle.values()) {
    const n = /:cycle:(\d+)$/.exec(v.lineage.cycle.workflowId)?.[1];
    rows.push({
      cycle: n ? Number(n) : null,
      workflowId: v.lineage.cycle.workflowId,
      trigger: v.lineage.trigger.kind,
      outcome: `(registry) ${v.stage}`,
      reason: v.lineage.gate?.reasons.map((r) => r.message).join('; ') ?? '',
      startedAt: Date.parse(v.createdAt),
      endedAt: null,
      candidateVersion: v.version,
      version: versionFacts(v),
    });
  }
  return rows.sort((a, b) => (a.cycle ?? 0) - (b.cycle ?? 0) || (a.startedAt ?? 0) - (b.startedAt ?? 0));
}

const metric = (row: HistoryRow, name: string) => {
  const v = row.version?.heldOut[name];
  return v === undefined ? '-' : v.toFixed(4);
};

export function renderHistory(rows: readonly HistoryRow[], primaryMetric: string | undefined): string {
  const m = primaryMetric ?? 'accuracy';
  return renderTable(rows, [
    { header: 'cycle', value: (r) => (r.cycle === null ? '?' : String(r.cycle)) },
    { header: 'started', value: (r) => isoTime(r.startedAt) },
    { header: 'took', value: (r) => (r.startedAt !== null && r.endedAt !== null ? formatMs(r.endedAt - r.startedAt) : '-') },
    { header: 'trigger', value: (r) => r.trigger },
    { header: 'outcome', value: (r) => r.outcome },
    { header: 'version', value: (r) => (r.candidateVersion === null ? '-' : `v${r.candidateVersion}${r.version ? ` (${r.version.stage})` : ''}`) },
    { header: m, value: (r) => metric(r, m) },
    { header: 'approval', value: (r) => r.version?.approval ?? '-' },
    { header: 'reason', value: (r) => truncate(r.reason, 80) },
  ]);
}
