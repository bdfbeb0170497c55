import { setTimeout as sleep } from 'node:timers/promises';
import { readSnapshotTable } from '../../src/adapters/data-sources/snapshot-store.js';
import type { Table } from '../../src/stats/table.js';

export interface TrafficRow {
  readonly features: Record<string, number | string | null>;
  readonly label: number;
}

/** The rows of a snapshot's held-out split as gateway requests with their labels. */
export async function heldOutTraffic(snapshotDir: string): Promise<TrafficRow[]> {
  const { table, manifest } = await readSnapshotTable(snapshotDir, 'heldOut');
  return rowsOf(
    table,
    manifest.features.map((f) => f.name),
    manifest.label.name,
  );
}

function rowsOf(table: Table, features: readonly string[], label: string): TrafficRow[] {
  const value = (name: string, r: number) => {
    const v = table.columns[name]?.values[r];
    return v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? null : v;
  };
  return Array.from({ length: table.rowCount }, (_, r) => ({
    features: Object.fromEntries(features.map((f) => [f, value(f, r)])),
    label: Number(value(label, r)),
  }));
}

export interface TrafficTally {
  sent: number;
  failed: number;
  /** How many answers each version gave. */
  byVersion: Map<number, number>;
}

/**
 * Production traffic through the real gateway over HTTP until `stop()`: `perSecond` predict
 * calls cycling through `rows`, each followed by its label as feedback `labelDelayMs` later,
 * so the prediction log has what the rollout guards and the monitor read.
 */
export function startTraffic(
  gatewayUrl: string,
  modelId: string,
  rows: readonly TrafficRow[],
  perSecond = 40,
  labelDelayMs = 300,
) {
  const tally: TrafficTally = { sent: 0, failed: 0, byVersion: new Map() };
  let running = true;
  const pending = new Set<Promise<void>>();
  const post = async (route: 'predict' | 'feedback', body: unknown) => {
    const res = await fetch(`${gatewayUrl}/v1/models/${encodeURIComponent(modelId)}/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${route} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { requestId: string; version: number };
  };
  const one = async (row: TrafficRow) => {
    tally.sent++;
    try {
      const answer = await post('predict', { features: row.features });
      tally.byVersion.set(answer.version, (tally.byVersion.get(answer.version) ?? 0) + 1);
      await sleep(labelDelayMs);
      await post('feedback', { requestId: answer.requestId, label: row.label });
    } catch {
      tally.failed++;
    }
  };
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const p = one(rows[i % rows.length]!);
      pending.add(p);
      void p.finally(() => pending.delete(p));
      await sleep(1000 / perSecond);
    }
    await Promise.allSettled([...pending]);
  })();
  return {
    tally,
    async stop(): Promise<TrafficTally> {
      running = false;
      await loop;
      return tally;
    },
  };
}
