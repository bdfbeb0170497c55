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
  /** How many answers each gateway gave, per version: `${url} v${version}`. */
  byGateway: Map<string, number>;
}

/**
 * Production traffic through the real gateway over HTTP until `stop()`: `perSecond` predict
 * calls cycling through `rows`, each followed by its label as feedback `labelDelayMs` later,
 * so the prediction log has what the rollout guards and the monitor read. With several
 * gateways (`targets` is read per request, so a test can take a replica out and back), the
 * requests take turns, and each label goes to the gateway that answered.
 */
export function startTraffic(
  targets: string | (() => readonly string[]),
  modelId: string,
  rows: readonly TrafficRow[],
  perSecond = 40,
  labelDelayMs = 300,
) {
  const tally: TrafficTally = { sent: 0, failed: 0, byVersion: new Map(), byGateway: new Map() };
  const gateways = typeof targets === 'string' ? () => [targets] : targets;
  let running = true;
  const pending = new Set<Promise<void>>();
  const post = async (gatewayUrl: string, route: 'predict' | 'feedback', body: unknown) => {
    const res = await fetch(`${gatewayUrl}/v1/models/${encodeURIComponent(modelId)}/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${route} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { requestId: string; version: number };
  };
  const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
  const one = async (gatewayUrl: string, row: TrafficRow) => {
    tally.sent++;
    try {
      const answer = await post(gatewayUrl, 'predict', { features: row.features });
      count(tally.byVersion, answer.version);
      count(tally.byGateway, `${gatewayUrl} v${answer.version}`);
      await sleep(labelDelayMs);
      await post(gatewayUrl, 'feedback', { requestId: answer.requestId, label: row.label });
    } catch {
      tally.failed++;
    }
  };
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const now = gateways();
      const p = one(now[i % now.length]!, rows[i % rows.length]!);
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
