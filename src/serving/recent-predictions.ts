/** What the feedback route needs to score a label against the answer that was served. */
export interface ServedAnswer {
  modelId: string;
  version: number;
  /** The routing arm that answered (champion|canary), the label counters' `arm`. */
  arm: string;
  prediction: number;
  classifier: boolean;
}

/**
 * The last `capacity` answers by request id, for the live-accuracy counters in /metrics. The
 * durable join lives in the prediction log; this only keeps the counters cheap.
 */
export class RecentPredictions {
  private readonly answers = new Map<string, ServedAnswer>();

  constructor(private readonly capacity = 200_000) {}

  remember(requestId: string, answer: ServedAnswer): void {
    this.answers.set(requestId, answer);
    if (this.answers.size > this.capacity) {
      const oldest = this.answers.keys().next();
      if (!oldest.done) this.answers.delete(oldest.value);
    }
  }

  get(requestId: string): ServedAnswer | undefined {
    return this.answers.get(requestId);
  }
}
