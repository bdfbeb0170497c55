import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The gateway's Prometheus metrics, on a registry of its own (so two gateways in one
 * process, e.g. in tests or the demo, do not collide on the global registry).
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'ct_gateway_predictions_total',
    help: 'Predictions answered, by model, served version and routing arm (champion|canary)',
    labelNames: ['model', 'version', 'arm'] as const,
    registers: [this.registry],
  });

  readonly errors = new Counter({
    name: 'ct_gateway_errors_total',
    help: 'Failed or degraded requests, by model, version ("" when none was chosen) and reason',
    labelNames: ['model', 'version', 'reason'] as const,
    registers: [this.registry],
  });

  readonly latency = new Histogram({
    name: 'ct_gateway_prediction_duration_seconds',
    help: 'Time from request parsed to answer ready, by model and served version',
    labelNames: ['model', 'version'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly shadow = new Counter({
    name: 'ct_gateway_shadow_predictions_total',
    help: 'Requests mirrored to a shadow version (answer logged, never returned)',
    labelNames: ['model', 'version'] as const,
    registers: [this.registry],
  });

  readonly flagged = new Counter({
    name: 'ct_gateway_flagged_values_total',
    help: "Out-of-range feature values scored and flagged under the spec's serving.outOfRange: scoreAndFlag, by model, version and feature",
    labelNames: ['model', 'version', 'feature'] as const,
    registers: [this.registry],
  });

  readonly labels = new Counter({
    name: 'ct_gateway_labels_total',
    help: 'Ground-truth labels joined to predictions, by outcome (correct|incorrect|regression)',
    labelNames: ['model', 'version', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly onlineAccuracy = new Gauge({
    name: 'ct_gateway_online_accuracy',
    help: 'Share of labelled predictions that were correct since the gateway started (classifiers only)',
    labelNames: ['model', 'version'] as const,
    registers: [this.registry],
  });

  readonly routingRevision = new Gauge({
    name: 'ct_gateway_routing_revision',
    help: 'Routing table revision the gateway is currently serving',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });

  readonly loadFailures = new Counter({
    name: 'ct_gateway_model_load_failures_total',
    help: 'Failed attempts to load a model version (tampered or missing artifact, invalid model), by reason; at most one per retry interval',
    labelNames: ['model', 'version', 'reason'] as const,
    registers: [this.registry],
  });

  readonly servable = new Gauge({
    name: 'ct_gateway_model_servable',
    help: 'Whether the last attempt to load a model version succeeded (1) or failed (0); alert on 0',
    labelNames: ['model', 'version'] as const,
    registers: [this.registry],
  });

  readonly championUnservable = new Counter({
    name: 'ct_gateway_champion_unservable_total',
    help: 'Requests answered 503 because the champion version cannot be served; any increase is an outage',
    labelNames: ['model', 'version', 'reason'] as const,
    registers: [this.registry],
  });

  private readonly tallies = new Map<string, { correct: number; total: number }>();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'ct_gateway_' });
  }

  /** Counts a joined label and updates the online accuracy of that model version. */
  recordLabel(model: string, version: number, correct: boolean | undefined): void {
    const v = String(version);
    if (correct === undefined) {
      this.labels.inc({ model, version: v, outcome: 'regression' });
      return;
    }
    this.labels.inc({ model, version: v, outcome: correct ? 'correct' : 'incorrect' });
    const key = `${model}\u0000${v}`;
    const tally = this.tallies.get(key) ?? { correct: 0, total: 0 };
    tally.total += 1;
    if (correct) tally.correct += 1;
    this.tallies.set(key, tally);
    this.onlineAccuracy.set({ model, version: v }, tally.correct / tally.total);
  }
}
