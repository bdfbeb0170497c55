import type { RoutingSpec, RoutingTable } from '../../../src/domain/records/routing.js';
import type { PredictionLogEntry, PredictionLogSink, RoutingSource } from '../../../src/serving/gateway-ports.js';

/**
 * TEMPORARY stand-in for src/adapters/serving-state until it lands; replace with the real
 * SQLite adapter (see the report). Only the gateway's two ports.
 */
export class ServingStateHarness implements RoutingSource, PredictionLogSink {
  private readonly tables = new Map<string, RoutingTable>();
  readonly entries: Array<PredictionLogEntry & { label?: number }> = [];

  setRouting(modelId: string, routing: RoutingSpec): number {
    const revision = (this.tables.get(modelId)?.revision ?? 0) + 1;
    this.tables.set(modelId, { modelId, ...routing, revision, updatedAt: new Date().toISOString() });
    return revision;
  }

  getRouting(modelId: string): RoutingTable | null {
    return this.tables.get(modelId) ?? null;
  }

  appendPredictions(entries: readonly PredictionLogEntry[]): void {
    this.entries.push(...entries);
  }

  recordLabel(modelId: string, requestId: string, label: number): boolean {
    const hits = this.entries.filter((e) => e.modelId === modelId && e.requestId === requestId);
    for (const hit of hits) hit.label = label;
    return hits.length > 0;
  }
}
