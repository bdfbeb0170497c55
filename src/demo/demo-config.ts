import { fileURLToPath } from 'node:url';

/** Compressed timings of the demo: seconds where production would use hours. */
export const DEMO = {
  specPath: fileURLToPath(new URL('./sea-demo.yaml', import.meta.url)),
  approver: 'alice@example.com',
  /** Requests per second through the gateway. */
  ratePerSecond: 50,
  /** Second of traffic at which the concept changes and f3 shifts. */
  driftAtSecond: 40,
  /** Labels reach the gateway this long after the prediction. */
  labelDelayMs: 2_000,
  /** Traffic continues this long after promotion, to measure the new champion. */
  afterPromotionSeconds: 40,
  /** Hard stop of the traffic, whatever happens. */
  maxTrafficSeconds: 200,
  /** One point of the accuracy chart. */
  bucketMs: 5_000,
  /** Covariate shift at the change: f3 moves from U[0, 10] to U[5, 10]. */
  shift: { feature: 'f3', min: 0, max: 10, to: [5, 10] as const },
  trafficSeed: 2026,
  /** Monitor settings (the production-monitor workflow's, compressed). */
  monitor: {
    intervalMs: '3s',
    driftWindowMs: '12s',
    performanceWindowMs: '10s',
    labelLatencyMs: '3s',
    minDriftRows: 200,
    minLabeledRows: 150,
    resignalAfterMs: '30s',
  },
  /** Accuracy windows the acceptance numbers are measured over (ms after traffic start / promotion). */
  measure: { preDriftFromMs: 10_000, afterPromotionSettleMs: 5_000 },
  webhookToken: 'demo-token',
} as const;
