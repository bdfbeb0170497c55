import { setTimeout as sleep } from 'node:timers/promises';
import { AccuracyTracker } from './accuracy-tracker.js';
import type { FrozenModel } from './demo-model.js';
import type { TrafficRow, TrafficStream } from './traffic-stream.js';

export interface SimulatorOptions {
  /** e.g. http://127.0.0.1:8080 */
  gatewayUrl: string;
  modelId: string;
  stream: TrafficStream;
  ratePerSecond: number;
  /** Safety stop: the run ends after this many seconds even if nobody calls stop(). */
  maxSeconds: number;
  /** Labels reach the gateway this long after the prediction (delayed ground truth). */
  labelDelayMs: number;
  /** The first champion, frozen: scores every request locally for the "no CT" curve (any format). */
  staticModel: FrozenModel;
  /** Width of one accuracy point on the chart. */
  bucketMs: number;
  /** Called once per simulated second with the running numbers. */
  onSecond?: (tick: SimulatorTick) => void;
}

export interface SimulatorTick {
  second: number;
  phase: string;
  /** Versions that answered since the previous report with `resetShare`, and their share. */
  versionShare: Record<string, number>;
  ct: { accuracy: number; count: number } | null;
  static: { accuracy: number; count: number } | null;
  sent: number;
  failed: number;
}

export interface SimulatorResult {
  startedAtMs: number;
  seconds: number;
  sent: number;
  failed: number;
  feedbackFailed: number;
  ct: AccuracyTracker;
  static: AccuracyTracker;
}

interface PredictAnswer {
  prediction: number;
  version: number;
  requestId: string;
}

/**
 * Replays the simulated production stream through the real gateway over HTTP: each
 * request is a `predict`, its label follows as `feedback` after `labelDelayMs`. It keeps
 * two accuracy curves by request time — the answers the gateway served (the model under
 * continuous training) and a frozen copy of the first champion scored locally (no CT).
 */
export class TrafficSimulator {
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly ct: AccuracyTracker;
  private readonly frozen: AccuracyTracker;
  private sent = 0;
  private failed = 0;
  private feedbackFailed = 0;
  private answeredBy = new Map<number, number>();
  readonly startedAtMs = Date.now();

  constructor(private readonly options: SimulatorOptions) {
    this.ct = new AccuracyTracker(options.bucketMs);
    this.frozen = new AccuracyTracker(options.bucketMs);
  }

  /** Milliseconds since traffic started. */
  elapsedMs(): number {
    return Date.now() - this.startedAtMs;
  }

  stop(): void {
    this.stopped = true;
  }

  async run(): Promise<SimulatorResult> {
    const { ratePerSecond, maxSeconds, stream } = this.options;
    const slices = 10;
    let second = 0;
    for (; second < maxSeconds && !this.stopped; second++) {
      const rows = stream.rowsForSecond(second, ratePerSecond);
      for (let slice = 0; slice < slices; slice++) {
        const due = this.startedAtMs + second * 1000 + slice * (1000 / slices);
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
        const part = rows.slice(
          Math.floor((slice * rows.length) / slices),
          Math.floor(((slice + 1) * rows.length) / slices),
        );
        for (const row of part) this.track(this.request(row));
      }
      this.report(second, stream.phaseAt(second).label);
    }
    // Let the last labels arrive so the prediction log is complete.
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
    return {
      startedAtMs: this.startedAtMs,
      seconds: second,
      sent: this.sent,
      failed: this.failed,
      feedbackFailed: this.feedbackFailed,
      ct: this.ct,
      static: this.frozen,
    };
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async request(row: TrafficRow): Promise<void> {
    const tMs = this.elapsedMs();
    this.sent++;
    this.frozen.add(tMs, (await this.options.staticModel.predict(row.features)) === row.label);
    let answer: PredictAnswer;
    try {
      answer = await this.post<PredictAnswer>('predict', { features: row.features });
    } catch {
      this.failed++;
      return;
    }
    this.ct.add(tMs, answer.prediction === row.label);
    this.answeredBy.set(answer.version, (this.answeredBy.get(answer.version) ?? 0) + 1);
    await sleep(this.options.labelDelayMs);
    try {
      await this.post('feedback', { requestId: answer.requestId, label: row.label });
    } catch {
      this.feedbackFailed++;
    }
  }

  private async post<T>(route: 'predict' | 'feedback', body: unknown): Promise<T> {
    const res = await fetch(
      `${this.options.gatewayUrl}/v1/models/${encodeURIComponent(this.options.modelId)}/${route}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
    if (!res.ok) throw new Error(`${route} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Starts a new count of which versions answered (the share reported by the next ticks). */
  resetShare(): void {
    this.answeredBy = new Map();
  }

  private report(second: number, phase: string): void {
    const total = [...this.answeredBy.values()].reduce((a, b) => a + b, 0);
    const versionShare = Object.fromEntries(
      [...this.answeredBy.entries()].sort(([a], [b]) => a - b).map(([v, n]) => [`v${v}`, total ? n / total : 0]),
    );
    const at = this.elapsedMs();
    this.options.onSecond?.({
      second,
      phase,
      versionShare,
      ct: this.ct.recent(at, 10_000),
      static: this.frozen.recent(at, 10_000),
      sent: this.sent,
      failed: this.failed,
    });
  }
}
