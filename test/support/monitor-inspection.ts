/**
 * The input of the monitor's `inspectProduction` activity for unit tests: one-minute windows,
 * no label latency, and floors low enough that any evidence counts.
 */
export const inspectionInput = (modelId: string) => ({
  modelId,
  driftWindowMs: 60_000,
  performanceWindowMs: 60_000,
  labelLatencyMs: 0,
  thresholds: {
    driftFloor: 0.5,
    performanceFloor: 0.05,
    minDriftRows: 1,
    minLabeledRows: 1,
    minDegradationZ: 2,
    resignalAfterMs: 60_000,
  },
  lastSignals: {},
});
