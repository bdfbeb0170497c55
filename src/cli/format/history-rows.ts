import type { CycleReport, CycleSummary } from '../../domain/flywheel/cycle-report.js';
import type { FlywheelStatus } from '../../domain/flywheel/flywheel-state.js';
import type { ModelVersion } from '../../domain/records/model-version.js';
import { formatMs, isoTime, renderTable, truncate } from './output.js';
import { MISSING, finite, safely, shown } from './safe-text.js';

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

// The status answer and the registry manifests are read as they are, not as their types
// promise: an older flywheel, odd carried state or a hand-edited manifest must not crash
// the command. Absent fields become "?" and the row still prints.
const orNull = (v: unknown): number | null => finite(v) ?? null;
const objects = <T>(v: readonly T[] | undefined): T[] =>
  Array.isArray(v) ? v.filter((x): x is T => typeof x === 'object' && x !== null) : [];

function versionFacts(v: ModelVersion): NonNullable<HistoryRow['version']> {
  const approval = v.approval ? `${shown(v.approval.decision)} by ${shown(v.approval.by)}` : undefined;
  return {
    stage: shown(v.stage),
    heldOut: v.lineage?.metrics?.heldOut ?? {},
    ...(approval ? { approval } : {}),
    ...(v.rollout ? { rollout: shown(v.rollout.outcome) } : {}),
    dataset: shown(v.lineage?.dataset?.snapshotId),
  };
}

function fromCycle(c: CycleSummary): HistoryRow {
  return {
    cycle: orNull(c.cycle),
    workflowId: shown(c.workflowId),
    trigger: shown(c.trigger),
    outcome: shown(c.outcome),
    reason: typeof c.reason === 'string' ? c.reason : MISSING,
    startedAt: orNull(c.startedAt),
    endedAt: orNull(c.endedAt),
    candidateVersion: orNull(c.candidateVersion),
  };
}

function fromRegistry(v: ModelVersion, workflowId: string): HistoryRow {
  const n = /:cycle:(\d+)$/.exec(workflowId)?.[1];
  const created = typeof v.createdAt === 'string' ? Date.parse(v.createdAt) : Number.NaN;
  return {
    cycle: n ? Number(n) : null,
    workflowId,
    trigger: shown(v.lineage?.trigger?.kind),
    outcome: `(registry) ${shown(v.stage)}`,
    reason: safely(() => v.lineage?.gate?.reasons.map((r) => r.message).join('; ') ?? ''),
    startedAt: Number.isFinite(created) ? created : null,
    endedAt: null,
    candidateVersion: orNull(v.version),
    version: versionFacts(v),
  };
}

/**
 * Cycles the flywheel remembers (its last few, plus the one in flight), enriched with the
 * registry's manifest of each candidate; registry versions older than the flywheel's memory
 * are added from their lineage. Oldest first.
 */
export function historyRows(status: FlywheelStatus, versions: readonly ModelVersion[]): HistoryRow[] {
  const rows = objects(status?.recentCycles).map(fromCycle);
  const f = status?.inFlight;
  if (f && typeof f === 'object') {
    rows.push({
      cycle: orNull(f.cycle),
      workflowId: shown(f.workflowId),
      trigger: shown(f.trigger?.primary),
      outcome: `in flight (${shown(f.step)})`,
      reason: '',
      startedAt: orNull(f.startedAt),
      endedAt: null,
      candidateVersion: orNull(f.candidateVersion),
    });
  }
  // A manifest without a cycle id joins no row (keyed apart so two such never collide).
  const cycleOf = (v: ModelVersion, i: number) =>
    typeof v.lineage?.cycle?.workflowId === 'string' ? v.lineage.cycle.workflowId : `\u0000${i}`;
  const byCycle = new Map(objects(versions).map((v, i) => [cycleOf(v, i), v]));
  for (const row of rows) {
    const v = byCycle.get(row.workflowId);
    if (v) {
      row.version = versionFacts(v);
      row.candidateVersion ??= orNull(v.version);
      byCycle.delete(row.workflowId);
    }
  }
  for (const [key, v] of byCycle) rows.push(fromRegistry(v, key.startsWith('\u0000') ? MISSING : key));
  return rows.sort((a, b) => (a.cycle ?? 0) - (b.cycle ?? 0) || (a.startedAt ?? 0) - (b.startedAt ?? 0));
}

const metric = (row: HistoryRow, name: string) => {
  const v = finite(row.version?.heldOut[name]);
  return v === undefined ? '-' : v.toFixed(4);
};

export function renderHistory(rows: readonly HistoryRow[], primaryMetric: string | undefined): string {
  const m = primaryMetric ?? 'accuracy';
  return renderTable(rows, [
    { header: 'cycle', value: (r) => (r.cycle === null ? MISSING : String(r.cycle)) },
    { header: 'started', value: (r) => isoTime(r.startedAt) },
    {
      header: 'took',
      value: (r) => (r.startedAt !== null && r.endedAt !== null ? formatMs(r.endedAt - r.startedAt) : '-'),
    },
    { header: 'trigger', value: (r) => r.trigger },
    { header: 'outcome', value: (r) => r.outcome },
    {
      header: 'version',
      value: (r) =>
        r.candidateVersion === null ? '-' : `v${r.candidateVersion}${r.version ? ` (${r.version.stage})` : ''}`,
    },
    { header: m, value: (r) => metric(r, m) },
    { header: 'approval', value: (r) => r.version?.approval ?? '-' },
    { header: 'reason', value: (r) => truncate(r.reason, 80) },
  ]);
}

/** `flywheel history --steps`: each finished cycle's report, one line per step; an odd report says what it lacks. */
export function renderCycleSteps(reports: Record<string, CycleReport | { error: string }>): string {
  const lines: string[] = [];
  for (const [id, report] of Object.entries(reports)) {
    lines.push('', id);
    if (report && 'error' in report) {
      lines.push(`  (no report: ${shown(report.error)})`);
      continue;
    }
    const steps = objects(report?.steps);
    if (steps.length === 0) lines.push('  (no steps recorded)');
    for (const s of steps)
      lines.push(
        safely(() => `  ${isoTime(s.at)}  ${shown(s.step).padEnd(9)} ${shown(s.status).padEnd(7)} ${shown(s.detail)}`),
      );
  }
  return lines.join('\n');
}
