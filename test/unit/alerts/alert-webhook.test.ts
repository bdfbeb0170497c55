import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FlywheelAlert } from '../../../src/alerts/alert-schemas.js';
import type { AlertSink } from '../../../src/alerts/alert-sink.js';
import { alertWebhook } from '../../../src/alerts/alert-webhook.js';
import { signBody } from '../../../src/alerts/webhook-auth.js';

const TOKEN = 'test-token-6f1d';
const SECRET = 'hmac-secret-93ab';
const fixture = readFileSync(new URL('../../fixtures/alertmanager/model-drift-firing.v4.json', import.meta.url), 'utf8');

/** Our own port, recording what reached it: the webhook's output, observed over real HTTP. */
class RecordingSink implements AlertSink {
  received: FlywheelAlert[] = [];
  failNext = false;
  async signalAlert(alert: FlywheelAlert): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('temporal unavailable');
    }
    this.received.push(alert);
  }
}

const sink = new RecordingSink();
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  app = Fastify({ logger: false });
  await app.register(alertWebhook, { sink, auth: { bearerToken: TOKEN, hmacSecret: SECRET } });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => app.close());
beforeEach(() => {
  sink.received = [];
});

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
const bearer = { authorization: `Bearer ${TOKEN}` };

describe('alert webhook', () => {
  it('signals each firing alert of a recorded Alertmanager v4 payload once, ignoring resolved ones', async () => {
    const first = await post('/v1/alerts/alertmanager', fixture, bearer);
    expect(first.status).toBe(202);
    expect(sink.received.map((a) => [a.modelId, a.kind, a.fingerprint, a.score])).toEqual([
      ['churn', 'drift', '5f2b9c0e7d1a4c33', 0.31],
      ['churn', 'drift', 'a90c31d4e8b2f617', 0.27],
    ]);
    expect(sink.received[0]?.reason).toContain('tenure_months PSI 0.31');
    expect(sink.received[0]?.source).toBe('alertmanager:ModelFeatureDrift');

    // Alertmanager re-sends the group on repeat_interval: no second signal within the TTL.
    const repeat = await post('/v1/alerts/alertmanager', fixture, bearer);
    expect(repeat.status).toBe(202);
    expect(repeat.json.duplicates).toEqual(['5f2b9c0e7d1a4c33', 'a90c31d4e8b2f617']);
    expect(sink.received).toHaveLength(2);
  });

  it('accepts a generic alert signed with HMAC-SHA256 of the raw body', async () => {
    const body = JSON.stringify({ model: 'fraud', kind: 'performance', score: 0.04, reason: 'accuracy fell 4 points' });
    const res = await post('/v1/alerts', body, { 'x-ct-signature': signBody(SECRET, body) });
    expect(res.status).toBe(202);
    expect(res.json.signalled).toEqual([{ modelId: 'fraud', kind: 'performance', signal: 'performanceReport' }]);
    expect(sink.received).toHaveLength(1);
  });

  it('answers 503 when the flywheel cannot be signalled, and lets the retry through', async () => {
    const body = JSON.stringify({ model: 'fraud', kind: 'retrain', dedupKey: 'k1' });
    sink.failNext = true;
    expect((await post('/v1/alerts', body, bearer)).status).toBe(503);
    expect((await post('/v1/alerts', body, bearer)).status).toBe(202);
    expect(sink.received.map((a) => a.kind)).toEqual(['retrain']);
  });

  it('refuses 20 malformed, unsigned or wrongly signed payloads with the right status and signals nothing', async () => {
    const am = JSON.parse(fixture) as Record<string, unknown> & { alerts: Array<Record<string, unknown>> };
    const withAm = (patch: (p: typeof am) => void) => {
      const copy = structuredClone(am);
      patch(copy);
      return JSON.stringify(copy);
    };
    const good = JSON.stringify({ model: 'churn', kind: 'drift' });
    const cases: Array<{ name: string; path: string; body: string; headers: Record<string, string>; status: number; says: string }> = [
      { name: 'no credentials', path: '/v1/alerts/alertmanager', body: fixture, headers: {}, status: 401, says: 'missing credentials' },
      { name: 'wrong bearer token', path: '/v1/alerts/alertmanager', body: fixture, headers: { authorization: 'Bearer nope' }, status: 401, says: 'invalid' },
      { name: 'basic auth instead of bearer', path: '/v1/alerts', body: good, headers: { authorization: `Basic ${TOKEN}` }, status: 401, says: 'invalid' },
      { name: 'signature with wrong secret', path: '/v1/alerts', body: good, headers: { 'x-ct-signature': signBody('other', good) }, status: 401, says: 'invalid' },
      { name: 'signature of a different body', path: '/v1/alerts', body: good, headers: { 'x-ct-signature': signBody(SECRET, good.replace('churn', 'fraud')) }, status: 401, says: 'invalid' },
      { name: 'signature without sha256= prefix', path: '/v1/alerts', body: good, headers: { 'x-ct-signature': signBody(SECRET, good).slice(7) }, status: 401, says: 'invalid' },
      { name: 'unsigned malformed JSON', path: '/v1/alerts', body: '{"model":', headers: {}, status: 401, says: 'missing credentials' },
      { name: 'malformed JSON', path: '/v1/alerts', body: '{"model":', headers: bearer, status: 400, says: 'not JSON' },
      { name: 'empty body', path: '/v1/alerts/alertmanager', body: '', headers: bearer, status: 400, says: 'empty body' },
      { name: 'JSON array', path: '/v1/alerts', body: '[]', headers: bearer, status: 400, says: 'Expected object' },
      { name: 'generic: unknown kind', path: '/v1/alerts', body: JSON.stringify({ model: 'churn', kind: 'panic' }), headers: bearer, status: 400, says: 'kind' },
      { name: 'generic: missing model', path: '/v1/alerts', body: JSON.stringify({ kind: 'drift' }), headers: bearer, status: 400, says: 'model' },
      { name: 'generic: model id with a slash', path: '/v1/alerts', body: JSON.stringify({ model: '../etc', kind: 'drift' }), headers: bearer, status: 400, says: 'model id' },
      { name: 'generic: score not a number', path: '/v1/alerts', body: JSON.stringify({ model: 'churn', kind: 'drift', score: 'high' }), headers: bearer, status: 400, says: 'score' },
      { name: 'generic: unknown field', path: '/v1/alerts', body: JSON.stringify({ model: 'churn', kind: 'drift', modle: 'x' }), headers: bearer, status: 400, says: 'modle' },
      { name: 'alertmanager: version 3', path: '/v1/alerts/alertmanager', body: withAm((p) => { p.version = '3'; }), headers: bearer, status: 400, says: 'only Alertmanager webhook payload version' },
      { name: 'alertmanager: no alerts', path: '/v1/alerts/alertmanager', body: withAm((p) => { p.alerts = []; }), headers: bearer, status: 400, says: 'at least one alert' },
      { name: 'alertmanager: firing alert without model label', path: '/v1/alerts/alertmanager', body: withAm((p) => { delete (p.alerts[0]!.labels as Record<string, string>).model; }), headers: bearer, status: 400, says: 'alerts.0.labels.model' },
      { name: 'alertmanager: bad startsAt', path: '/v1/alerts/alertmanager', body: withAm((p) => { p.alerts[1]!.startsAt = 'yesterday'; }), headers: bearer, status: 400, says: 'alerts.1.startsAt' },
      { name: 'alertmanager: unknown kind label', path: '/v1/alerts/alertmanager', body: withAm((p) => { (p.alerts[0]!.labels as Record<string, string>).kind = 'vibes'; }), headers: bearer, status: 400, says: 'alerts.0.labels.kind' },
    ];
    expect(cases).toHaveLength(20);
    for (const c of cases) {
      const res = await post(c.path, c.body, c.headers);
      expect({ name: c.name, status: res.status }).toEqual({ name: c.name, status: c.status });
      expect(JSON.stringify(res.json), c.name).toContain(c.says);
    }
    expect(sink.received).toEqual([]);
  });

  it('refuses an alert the flywheel would drop, naming the signal field', async () => {
    const res = await post('/v1/alerts', JSON.stringify({ model: 'churn', kind: 'drift', score: 5 }), bearer);
    expect(res.status).toBe(400);
    expect(res.json.issues).toEqual([{ path: 'score', message: expect.stringContaining('driftAlert') }]);
    expect(sink.received).toEqual([]);
  });

  it('refuses to start without any credential configured', async () => {
    const bare = Fastify();
    await expect(bare.register(alertWebhook, { sink, auth: {} }).ready()).rejects.toThrow(/bearer token or an HMAC secret/);
    await bare.close();
  });
});
