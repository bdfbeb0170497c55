import { driftReport } from '../stats/drift/drift-report.js';
import { driftReportOptions, type DriftSettings } from '../stats/drift/drift-settings.js';
import { buildReferenceProfile, type ReferenceProfile } from '../stats/drift/reference-profile.js';
import type { Table } from '../stats/table.js';
import type { FeatureDrift } from '../domain/monitor/drift-finding.js';

/** Drift test settings: the spec's `validation.drift` block (p-value level, PSI limit, methods, compatibility). */
export type DriftTestSettings = DriftSettings;

const hasValues = (table: Table, name: string): boolean => {
  const column = table.columns[name];
  if (!column) return false;
  return column.kind === 'numeric'
    ? column.values.some((v) => !Number.isNaN(v))
    : column.values.some((v) => v !== null);
};

/**
 * Per-feature drift of a production window against the champion's reference profile,
 * with the stats drift report (Evidently's method choice per column). Only features in
 * both that have values in the window are compared: the prediction log has no label
 * column, and a feature nobody sends is a data-quality matter, not drift.
 */
export function featureDrifts(profile: ReferenceProfile, window: Table, settings: DriftTestSettings): FeatureDrift[] {
  const columns = Object.keys(profile.columns).filter((name) => hasValues(window, name));
  if (columns.length === 0) return [];
  const report = driftReport(profile, window, driftReportOptions(settings, columns));
  return report.columns.map((c) => ({
    feature: c.column,
    drifted: c.drifted,
    test: c.method,
    statistic: c.statistic,
    ...(c.pValue !== undefined ? { pValue: c.pValue } : {}),
    ...(c.distance !== undefined ? { distance: c.distance } : {}),
  }));
}

/**
 * A reference profile of logged production features (the `recentProduction` drift
 * reference), over the columns that have values; null when none has.
 */
export function productionProfile(window: Table): ReferenceProfile | null {
  const columns = Object.keys(window.columns).filter((name) => hasValues(window, name));
  return columns.length === 0 ? null : buildReferenceProfile(window, { columns });
}
