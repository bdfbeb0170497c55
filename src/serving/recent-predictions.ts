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
  /**
   * Request ids in the order remembered, a ring of `capacity`: the slot about to be reused
   * holds the oldest id. (Evicting with `answers.keys().next()` scanned the Map's deleted
   * entries from its start on every call once full: 1.6 s of a 27 s busy gateway profile.)
   */
  private readonly order: (string | undefined)[];
  private next = 0;

  constructor(private readonly capacity = 200_000) {
    this.order = new Array<string | undefined>(capacity);
  }

  remember(requestId: string, answer: ServedAnswer): void {
    if (!this.answers.has(requestId)) {
      const oldest = this.order[this.next];
      if (oldest !== undefined) this.answers.delete(oldest);
      this.order[this.next] = requestId;
      this.next = (this.next + 1) % this.capacity;
    }
    this.answers.set(requestId, answer);
  }

  get(requestId: string): ServedAnswer | undefined {
    return this.answers.get(requestId);
  }
}
