import type { DriftCompatibility } from './drift-compatibility.js';
import type { DriftMethod } from './drift-method.js';
import type { DriftReportOptions } from './drift-report.js';

/**
 * The drift settings a model spec carries (`validation.drift`), in the shape the stats
 * layer needs; the domain schema parses them, this turns them into report options so the
 * cycle's validation and the production monitor read them the same way.
 */
export interface DriftSettings {
  /** p-value level of KS, chi-square and the z-test. */
  readonly alpha?: number;
  /** PSI at or above this drifts; applies to the columns whose method is PSI (see `methods`). */
  readonly psiThreshold?: number;
  readonly datasetDriftShare?: number;
  readonly compatibility?: DriftCompatibility;
  /** Method per feature instead of the default selection, e.g. `{ income: 'psi' }`. */
  readonly methods?: Readonly<Record<string, DriftMethod>>;
}

/** Report options for `columns` under `settings`; a method for a feature not compared is left out. */
export function driftReportOptions(settings: DriftSettings, columns: readonly string[]): DriftReportOptions {
  const { alpha, psiThreshold } = settings;
  const methods = Object.fromEntries(Object.entries(settings.methods ?? {}).filter(([name]) => columns.includes(name)));
  return {
    columns: [...columns],
    ...(settings.datasetDriftShare !== undefined ? { datasetDriftShare: settings.datasetDriftShare } : {}),
    ...(settings.compatibility !== undefined ? { compatibility: settings.compatibility } : {}),
    ...(Object.keys(methods).length > 0 ? { methods } : {}),
    thresholds: {
      ...(alpha !== undefined ? { ks: alpha, 'chi-square': alpha, 'z-test': alpha } : {}),
      ...(psiThreshold !== undefined ? { psi: psiThreshold } : {}),
    },
  };
}
