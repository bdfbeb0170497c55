import { Gauge, type Registry } from 'prom-client';
import type { FeatureDrift } from '../domain/monitor/drift-finding.js';
import type { MonitorFinding } from '../domain/monitor/monitor-finding.js';

/** Where a monitor's findings go once made: the process that ran the check exports them. */
export interface FindingExporter {
  record(finding: MonitorFinding): void;
}

/** The method's score as Evidently reports it: a distance for distance methods, else the test's p-value. */
function driftScore(f: FeatureDrift): number | undefined {
  return f.distance ?? f.pValue ?? f.statistic;
}

/**
 * The production monitor's findings as Prometheus gauges, set by the process that runs the
 * check (the orchestration worker), from the finding the check returned: the numbers an
 * alert sees are the numbers the monitor judged by. Each finding replaces every series of
 * its model, so a retired champion version or a window with no verdict leaves no stale
 * value for a rule to keep firing on. Cheap: a handful of gauge sets per check, per model.
 */
export class MonitorMetrics implements FindingExporter {
  readonly featureDriftScore: Gauge<'model' | 'version' | 'feature' | 'method'>;
  readonly featureDrifted: Gauge<'model' | 'version' | 'feature'>;
  readonly driftShare: Gauge<'model' | 'version'>;
  readonly realizedAccuracy: Gauge<'model' | 'version'>;
  readonly estimatedAccuracy: Gauge<'model' | 'version'>;
  readonly lastCheck: Gauge<'model'>;
  /** The series each model's last finding set (prom-client removes a series only by its full label set). */
  private readonly seriesByModel = new Map<string, Array<() => void>>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.featureDriftScore = new Gauge({
      name: 'ct_monitor_feature_drift_score',
      help: "Per-feature drift score of the monitor's last window against the champion's reference: the distance for distance methods (higher = more drift), the p-value for statistical tests (lower = more drift); see method",
      labelNames: ['model', 'version', 'feature', 'method'] as const,
      registers,
    });
    this.featureDrifted = new Gauge({
      name: 'ct_monitor_feature_drifted',
      help: "Per-feature drift verdict of the monitor's last window (1 drifted, 0 not), under the spec's validation.drift settings",
      labelNames: ['model', 'version', 'feature'] as const,
      registers,
    });
    this.driftShare = new Gauge({
      name: 'ct_monitor_dataset_drift_share',
      help: "Share of monitored features that drifted in the monitor's last window (0..1): the dataset drift score driftAlert carries",
      labelNames: ['model', 'version'] as const,
      registers,
    });
    this.realizedAccuracy = new Gauge({
      name: 'ct_monitor_realized_accuracy',
      help: "Champion accuracy over the monitor's last labelled window (ends the label latency before the check); absent without enough labels",
      labelNames: ['model', 'version'] as const,
      registers,
    });
    this.estimatedAccuracy = new Gauge({
      name: 'ct_monitor_estimated_accuracy',
      help: "Champion accuracy estimated without labels (CBPE on its calibrated probabilities) over the monitor's freshest rows; absent when the champion has no calibration or too few rows",
      labelNames: ['model', 'version'] as const,
      registers,
    });
    this.lastCheck = new Gauge({
      name: 'ct_monitor_last_check_timestamp_seconds',
      help: "Unix time of the monitor's last completed check of a model",
      labelNames: ['model'] as const,
      registers,
    });
  }

  private set<L extends string>(
    gauge: Gauge<L>,
    labels: Record<L, string>,
    value: number,
    removers: Array<() => void>,
  ) {
    gauge.set(labels, value);
    removers.push(() => gauge.remove(labels));
  }

  record(finding: MonitorFinding): void {
    const model = finding.modelId;
    for (const remove of this.seriesByModel.get(model) ?? []) remove();
    const removers: Array<() => void> = [];
    this.seriesByModel.set(model, removers);
    this.lastCheck.set({ model }, finding.atMs / 1000);
    if (finding.championVersion === null) return;
    const version = String(finding.championVersion);
    const drift = finding.drift;
    // Only a verdict is exported: too few rows or no reference profile is no evidence either way.
    if (drift && (drift.status === 'drifted' || drift.status === 'stable')) {
      this.set(this.driftShare, { model, version }, drift.score, removers);
      for (const f of drift.features) {
        this.set(this.featureDrifted, { model, version, feature: f.feature }, f.drifted ? 1 : 0, removers);
        const score = driftScore(f);
        const labels = { model, version, feature: f.feature, method: f.test ?? 'unknown' };
        if (score !== undefined && Number.isFinite(score)) this.set(this.featureDriftScore, labels, score, removers);
      }
    }
    const accuracy = finding.performance?.accuracy;
    if (accuracy !== null && accuracy !== undefined && finding.performance?.status !== 'insufficientLabels')
      this.set(this.realizedAccuracy, { model, version }, accuracy, removers);
    const estimated = finding.performance?.estimated;
    if (estimated?.accuracy && estimated.status !== 'insufficientRows')
      this.set(this.estimatedAccuracy, { model, version }, estimated.accuracy.estimate, removers);
  }
}
