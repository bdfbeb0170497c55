/**
 * The limits the monitor judges production evidence by. The two floors come from the
 * model spec's trigger policy (`trigger.floors.drift` and `.performance`) so the monitor
 * raises a signal exactly when the flywheel would count it; the rest are the monitor's
 * own settings (see the production-monitor workflow contract).
 */
export interface MonitorThresholds {
  /** Drift score (share of drifted features, 0..1) at or above which drift is signalled. */
  readonly driftFloor: number;
  /** Accuracy drop below the champion's baseline (e.g. 0.02 = 2 points) at or above which performance is signalled. */
  readonly performanceFloor: number;
  /** Fewer logged rows than this in the drift window: no drift verdict. */
  readonly minDriftRows: number;
  /** Fewer labelled rows than this in the performance window: no performance verdict. */
  readonly minLabeledRows: number;
  /**
   * One-sided z the drop must also reach (drop / standard error), so a small window's
   * sampling noise does not read as degradation. 2.33 ≈ p < 0.01.
   */
  readonly minDegradationZ: number;
  /** A kind already signalled is not signalled again within this many ms. */
  readonly resignalAfterMs: number;
}
