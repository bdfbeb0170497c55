import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { registerProcessMetrics } from '../metrics/process-metrics.js';

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

  // Live accuracy as two counters (not a ratio gauge) so Prometheus can window it:
  // rate(correct[10m]) / rate(labelled[10m]) is the accuracy of the last 10 minutes, and
  // survives a gateway restart (a counter reset), where a cumulative ratio lagged and reset.
  readonly labelled = new Counter({
    name: 'ct_gateway_labelled_predictions_total',
    help: 'Classifier predictions that received a ground-truth label, by model, the version that answered and its arm (champion|canary)',
    labelNames: ['model', 'version', 'arm'] as const,
    registers: [this.registry],
  });

  readonly correct = new Counter({
    name: 'ct_gateway_correct_predictions_total',
    help: 'Labelled classifier predictions whose answer equalled the label, by model, version and arm; divide its rate by ct_gateway_labelled_predictions_total',
    labelNames: ['model', 'version', 'arm'] as const,
    registers: [this.registry],
  });

  readonly heldOutAccuracy = new Gauge({
    name: 'ct_gateway_model_heldout_accuracy',
    help: 'Held-out accuracy a served version recorded at registration: the baseline its live accuracy is judged against',
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

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) registerProcessMetrics(this.registry);
  }

  /** A version loaded: servable, and its held-out accuracy is the baseline for its live accuracy. */
  recordLoaded(model: string, version: number, heldOut: Readonly<Record<string, number>>): void {
    const labels = { model, version: String(version) };
    this.servable.set(labels, 1);
    if (heldOut.accuracy !== undefined) this.heldOutAccuracy.set(labels, heldOut.accuracy);
  }

  /**
   * Counts a joined label against the arm that answered. `correct` is undefined for a
   * regression model: it has no accuracy, and its labels feed the monitor and the rollout
   * guards through the prediction log, not these counters.
   */
  recordLabel(model: string, version: number, arm: string, correct: boolean | undefined): void {
    if (correct === undefined) return;
    const labels = { model, version: String(version), arm };
    this.labelled.inc(labels);
    // inc by 0 when wrong: the series must exist from the first label, or a model whose every
    // answer is wrong has no correct-series and the accuracy ratio (and its alert) is empty.
    this.correct.inc(labels, correct ? 1 : 0);
  }
}
