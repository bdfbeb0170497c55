import type { ServingState } from '../../../src/adapters/serving-state/serving-state.js';

/** How one version behaves in production during a test: volume and quality of its answers. */
export interface VersionBehaviour {
  /** Predictions per bake window read. */
  count: number;
  errorRate?: number;
  latencyMs?: number;
  /** Share of labelled predictions that are correct (labels arrive for every success). */
  accuracy?: number;
}

export type TrafficScenario = (version: number) => VersionBehaviour;

/**
 * Production traffic for rollout tests, written into the real prediction log. It is
 * written lazily, when the rollout reads live metrics for a window, and only for the part
 * of the window not yet covered, so its timestamps always fall inside the workflow's
 * (time-skipped) bake window.
 */
export class Traffic {
  private covered = new Map<string, number>();
  private seq = 0;
  scenario: TrafficScenario;

  constructor(
    private readonly state: ServingState,
    scenario: TrafficScenario,
  ) {
    this.scenario = scenario;
  }

  async fill(modelId: string, version: number, fromMs: number, toMs: number): Promise<void> {
    const key = `${modelId}:${version}`;
    const start = Math.max(fromMs, this.covered.get(key) ?? fromMs);
    if (toMs - start < 2) return;
    this.covered.set(key, toMs);
    const b = this.scenario(version);
    const errors = Math.round(b.count * (b.errorRate ?? 0));
    const correct = Math.round((b.count - errors) * (b.accuracy ?? 1));
    const records = [];
    const labels = [];
    for (let i = 0; i < b.count; i++) {
      const requestId = `r${++this.seq}`;
      const failed = i < errors;
      const atMs = start + Math.floor(((toMs - 1 - start) * (i + 1)) / (b.count + 1));
      records.push({
        requestId,
        modelId,
        version,
        arm: 'champion' as const,
        features: { x: i },
        prediction: failed ? null : 1,
        latencyMs: b.latencyMs ?? 5,
        atMs,
        ...(failed ? { error: 'model crashed' } : {}),
      });
      if (!failed) labels.push({ requestId, label: i - errors < correct ? 1 : 0 });
    }
    await this.state.logPredictions(records);
    if (b.accuracy !== undefined) await this.state.recordLabels(labels);
  }
}
