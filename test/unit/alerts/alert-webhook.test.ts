import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FlywheelAlert } from '../../../src/alerts/alert-schemas.js';
import type { AlertSink } from '../../../src/alerts/alert-sink.js';
import { alertWebhook } from '../../../src/alerts/alert-webhook.js';
import { signRequest } from '../../../src/alerts/request-signature.js';
import { alertmanagerFixture, refusedPayloads } from '../../fixtures/alertmanager/refused-payloads.js';

const TOKEN = 'test-token-6f1d';
const SECRET = 'hmac-secret-93ab';
const fixture = alertmanagerFixture;

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

  it('accepts a generic alert signed with a timestamped HMAC-SHA256, once: the same signed request again is a replay', async () => {
    const body = JSON.stringify({ model: 'fraud', kind: 'performance', score: 0.04, reason: 'accuracy fell 4 points' });
    const headers = { ...signRequest(SECRET, body) };
    const res = await post('/v1/alerts', body, headers);
    expect(res.status).toBe(202);
    expect(res.json.signalled).toEqual([{ modelId: 'fraud', kind: 'performance', signal: 'performanceReport' }]);

    const replay = await post('/v1/alerts', body, headers);
    expect(replay.status).toBe(401);
    expect(replay.json.message).toMatch(/^replayed request: .*sign each request afresh/);
    expect(sink.received).toHaveLength(1);
  });

  it('lets the sender retry the same signed request after a 503, and only once it was delivered refuses it', async () => {
    const body = JSON.stringify({ model: 'fraud', kind: 'newData', reason: 'nightly batch landed' });
    const headers = { ...signRequest(SECRET, body) };
    sink.failNext = true;
    expect((await post('/v1/alerts', body, headers)).status).toBe(503);
    expect((await post('/v1/alerts', body, headers)).status).toBe(202);
    expect((await post('/v1/alerts', body, headers)).status).toBe(401);
    expect(sink.received.map((a) => a.kind)).toEqual(['newData']);
  });

  it('answers 503 when the flywheel cannot be signalled, and lets the retry through', async () => {
    const body = JSON.stringify({ model: 'fraud', kind: 'retrain', dedupKey: 'k1' });
    sink.failNext = true;
    expect((await post('/v1/alerts', body, bearer)).status).toBe(503);
    expect((await post('/v1/alerts', body, bearer)).status).toBe(202);
    expect(sink.received.map((a) => a.kind)).toEqual(['retrain']);
  });

  it('refuses 26 malformed, unsigned, stale or wrongly signed payloads with the right status and reason, and signals nothing', async () => {
    const cases = refusedPayloads({ token: TOKEN, secret: SECRET }, 'churn');
    expect(cases).toHaveLength(26);
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

  it('refuses to start with a tolerance that is not a whole number of seconds', async () => {
    const bad = Fastify();
    await expect(bad.register(alertWebhook, { sink, auth: { hmacSecret: SECRET, hmacToleranceSeconds: 0.5 } }).ready()).rejects.toThrow(/hmacToleranceSeconds must be a whole number/);
    await bad.close();
  });
});
