import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import type { FlywheelAlert } from '../../../src/alerts/alert-schemas.js';
import type { AlertDelivery, AlertSink } from '../../../src/alerts/alert-sink.js';
import { alertWebhook } from '../../../src/alerts/alert-webhook.js';
import { signRequest } from '../../../src/alerts/request-signature.js';
import { SqliteAlertClaims } from '../../../src/adapters/serving-state/index.js';
import { alertmanagerFixture } from '../../fixtures/alertmanager/refused-payloads.js';

const TOKEN = 'shared-claims-token';
const SECRET = 'shared-claims-secret';

/** Every alert that reached Temporal, whichever replica sent it. */
class RecordingSink implements AlertSink {
  received: FlywheelAlert[] = [];
  async signalAlert(alert: FlywheelAlert): Promise<AlertDelivery> {
    this.received.push(alert);
    return { delivered: true };
  }
}

/**
 * Two webhook replicas, each with its own connection to one serving-state SQLite file (as
 * two processes on one machine would have), and one of them restarted: the de-dup and the
 * replay guard are claims in that file, so they hold across both.
 */
describe('alert de-dup and replay guard shared through the serving-state database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ct-alert-claims-'));
  const file = join(dir, 'serving.db');
  const sink = new RecordingSink();
  const open: Array<{ app: FastifyInstance; db: Database.Database }> = [];

  async function replica(): Promise<{ url: string; stop: () => Promise<void> }> {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    const app = Fastify({ logger: false });
    await app.register(alertWebhook, {
      sink,
      auth: { bearerToken: TOKEN, hmacSecret: SECRET },
      claims: new SqliteAlertClaims(db),
    });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const entry = { app, db };
    open.push(entry);
    return {
      url,
      stop: async () => {
        await app.close();
        db.close();
        open.splice(open.indexOf(entry), 1);
      },
    };
  }
  afterAll(async () => {
    for (const { app, db } of [...open]) {
      await app.close();
      db.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (url: string, path: string, body: string, headers: Record<string, string>) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });
    return { status: res.status, json: (await res.json()) as { duplicates?: string[]; message?: string } };
  };

  it('signals one Alertmanager episode once across two replicas and a restart; a re-fire is a new episode', async () => {
    const a = await replica();
    const b = await replica();
    const bearer = { authorization: `Bearer ${TOKEN}` };
    const am = '/v1/alerts/alertmanager';
    expect((await post(a.url, am, alertmanagerFixture, bearer)).status).toBe(202);
    expect(sink.received).toHaveLength(3); // the fixture's two firing drift alerts and its resolved one
    expect((await post(b.url, am, alertmanagerFixture, bearer)).json.duplicates).toEqual([
      '5f2b9c0e7d1a4c33',
      'a90c31d4e8b2f617',
      '0d77e5a1c2b94f08',
    ]);
    await a.stop();
    const restarted = await replica();
    expect((await post(restarted.url, am, alertmanagerFixture, bearer)).json.duplicates).toHaveLength(3);
    expect(sink.received).toHaveLength(3);

    // The first alert resolved and fired again: Alertmanager gives the new episode a new startsAt.
    const refired = JSON.parse(alertmanagerFixture) as { alerts: Array<{ startsAt: string }> };
    refired.alerts[0]!.startsAt = '2026-11-22T10:15:00Z';
    const answer = await post(b.url, am, JSON.stringify(refired), bearer);
    expect(answer.json.duplicates).toEqual(['a90c31d4e8b2f617', '0d77e5a1c2b94f08']);
    expect(sink.received.map((r) => r.fingerprint)).toEqual([
      '5f2b9c0e7d1a4c33',
      'a90c31d4e8b2f617',
      '0d77e5a1c2b94f08',
      '5f2b9c0e7d1a4c33',
    ]);
  });

  it('accepts a signed request once, whichever replica it reaches and after a restart', async () => {
    sink.received = [];
    const [a, b] = [await replica(), await replica()];
    const body = JSON.stringify({ model: 'churn', kind: 'retrain', reason: 'monthly' });
    const signed = { ...signRequest(SECRET, body) };
    expect((await post(a.url, '/v1/alerts', body, signed)).status).toBe(202);
    const replayed = await post(b.url, '/v1/alerts', body, signed);
    expect(replayed.status).toBe(401);
    expect(replayed.json.message).toMatch(/^replayed request/);
    await b.stop();
    const restarted = await replica();
    expect((await post(restarted.url, '/v1/alerts', body, signed)).status).toBe(401);
    expect(sink.received).toHaveLength(1);
  });
});
