import type { RoutingTable } from '../domain/records/routing.js';
import type { RoutingSource } from './gateway-ports.js';

/**
 * Per-model routing table, re-read from the serving state at most every `refreshMs`.
 * A rollout step that changes weights reaches the gateway within that bound, without a
 * restart and without a store read on every request.
 */
export class RoutingCache {
  private readonly entries = new Map<string, { table: RoutingTable | null; readAtMs: number }>();
  private readonly pending = new Map<string, Promise<RoutingTable | null>>();

  constructor(
    private readonly source: RoutingSource,
    private readonly refreshMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(modelId: string): RoutingTable | null | Promise<RoutingTable | null> {
    const entry = this.entries.get(modelId);
    if (entry && this.now() - entry.readAtMs < this.refreshMs) return entry.table;
    let inFlight = this.pending.get(modelId);
    if (!inFlight) {
      inFlight = this.read(modelId, entry?.table ?? null).finally(() => this.pending.delete(modelId));
      this.pending.set(modelId, inFlight);
    }
    return inFlight;
  }

  private async read(modelId: string, previous: RoutingTable | null): Promise<RoutingTable | null> {
    try {
      const table = await this.source.getRouting(modelId);
      this.entries.set(modelId, { table, readAtMs: this.now() });
      return table;
    } catch (err) {
      // Keep serving the last known table if the store hiccups; surface it if we never had one.
      if (previous) return previous;
      throw err;
    }
  }
}
