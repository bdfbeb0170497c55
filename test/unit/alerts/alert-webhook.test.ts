import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FlywheelAlert } from '../../../src/alerts/alert-schemas.js';
import type { AlertDelivery, AlertSink } from '../../../src/alerts/alert-sink.js';
import { alertWebhook } from '../../../src/alerts/alert-webhook.js';
import { signRequest } from '../../../src/alerts/request-signature.js';
import {
  alertmanagerFixture,
  fixtureForModel,
  rejectedAlertCases,
  refusedPayloads,
} from '../../fixtures/alertmanager/refused-payloads.js';

const TOKEN = 'test-token-6f1d';
const SECRET = 'hmac-secret-93ab';
const fixture = alertmanagerFixture;

/** Our own port, recording what reached it: the webhook's output, observed over real HTTP. */
class RecordingSink implements AlertSink {
  received: FlywheelAlert[] = [];
  failNext = false;
  /** Models with a running flywheel; the webhook must reject alerts for any other. */
  running = new Set(['churn', 'fraud']);
  async signalAlert(alert: FlywheelAlert): Promise<AlertDelivery> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('temporal unavailable');
    }
    if (!this.running.has(alert.modelId))
      return {
        delivered: false,
        reason: `no running flywheel:${alert.modelId}: start it with \`flywheel start <spec.yaml>\``,
      };
    this.received.push(alert);
    return { delivered: true };
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
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
const bearer = { authorization: `Bearer ${TOKEN}` };

describe('alert webhook', () => {
  it('signals each alert of a recorded Alertmanager v4 payload once: firing ones as triggers, the resolved one as a retraction', async () => {
    const first = await post('/v1/alerts/alertmanager', fixture, bearer);
    expect(first.status).toBe(202);
    expect(sink.received.map((a) => [a.modelId, a.kind, a.fingerprint, a.score, a.resolved])).toEqual([
      ['churn', 'drift', '5f2b9c0e7d1a4c33', 0.31, undefined],
      ['churn', 'drift', 'a90c31d4e8b2f617', 0.27, undefined],
      ['churn', 'drift', '0d77e5a1c2b94f08', undefined, true],
    ]);
    expect(first.json.signalled).toEqual([
      expect.objectContaining({ fingerprint: '5f2b9c0e7d1a4c33', signal: 'driftAlert' }),
      expect.objectContaining({ fingerprint: 'a90c31d4e8b2f617', signal: 'driftAlert' }),
      expect.objectContaining({ fingerprint: '0d77e5a1c2b94f08', signal: 'alertResolved' }),
    ]);
    expect(sink.received[0]?.reason).toContain('tenure_months PSI 0.31');
    expect(sink.received[0]?.source).toBe('alertmanager:ModelFeatureDrift');

    // Alertmanager re-sends the group on repeat_interval: no second signal within the TTL.
    const repeat = await post('/v1/alerts/alertmanager', fixture, bearer);
    expect(repeat.status).toBe(202);
    expect(repeat.json.duplicates).toEqual(['5f2b9c0e7d1a4c33', 'a90c31d4e8b2f617', '0d77e5a1c2b94f08']);
    expect(sink.received).toHaveLength(3);
  });

  it('fired, resolved, fired again: three deliveries, the resolution being neither a repeat of the firing nor of the re-fire', async () => {
    const episode = (status: string, startsAt: string) =>
      JSON.stringify({
        ...JSON.parse(fixture),
        status,
        alerts: [
          {
            status,
            labels: { alertname: 'Drift', model: 'fraud' },
            annotations: { score: '0.5' },
            startsAt,
            endsAt: '0001-01-01T00:00:00Z',
            fingerprint: 'ep-1',
          },
        ],
      });
    const firstFire = episode('firing', '2026-11-22T10:00:00Z');
    for (const body of [firstFire, episode('resolved', '2026-11-22T10:00:00Z'), firstFire])
      expect((await post('/v1/alerts/alertmanager', body, bearer)).status).toBe(202);
    const refire = await post('/v1/alerts/alertmanager', episode('firing', '2026-11-22T11:00:00Z'), bearer);
    expect(refire.json.duplicates).toEqual([]);
    expect(sink.received.map((a) => [a.fingerprint, a.resolved === true, a.startsAt])).toEqual([
      ['ep-1', false, '2026-11-22T10:00:00Z'],
      ['ep-1', true, '2026-11-22T10:00:00Z'],
      ['ep-1', false, '2026-11-22T11:00:00Z'],
    ]);
  });

  it('accepts a generic alert signed with a timestamped HMAC-SHA256, once: the same signed request again is a replay', async () => {
    const body = JSON.stringify({ model: 'fraud', kind: 'performance', score: 0.04, reason: 'accuracy fell 4 points' });
    const headers = { ...signRequest(SECRET, body) };
    const res = await post('/v1/alerts', body, headers);
    expect(res.status).toBe(202);
    expect(res.json.signalled).toEqual([
      { modelId: 'fraud', kind: 'performance', signal: 'performanceReport', score: 0.04 },
    ]);

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

  it('answers 202 to a notification with one bad alert: the good one is signalled, the bad one rejected alone with its field', async () => {
    const cases = rejectedAlertCases('churn');
    for (const [i, c] of cases.entries()) {
      sink.received = [];
      // Fresh fingerprints per case, so the good alert is not a duplicate of an earlier one.
      const body = c.body.replaceAll('5f2b9c0e7d1a4c33', `case-${i}-a`).replaceAll('a90c31d4e8b2f617', `case-${i}-b`);
      const res = await post('/v1/alerts/alertmanager', body, bearer);
      expect({ name: c.name, status: res.status }).toEqual({ name: c.name, status: 202 });
      expect(res.json.rejected, c.name).toEqual([
        expect.objectContaining({ field: c.field, reason: expect.stringContaining(c.field) }),
      ]);
      expect(sink.received, c.name).toHaveLength(1);
      expect(res.json.signalled, c.name).toEqual([expect.objectContaining({ modelId: 'churn', signal: 'driftAlert' })]);
    }
  });

  it('rejects an alert for a model with no running flywheel, naming the model label and how to start one, and signals the rest', async () => {
    const typo = JSON.parse(fixtureForModel('churn')) as {
      alerts: Array<{ labels: Record<string, string>; fingerprint: string }>;
    };
    typo.alerts[0]!.labels.model = 'fraud-sae';
    typo.alerts[0]!.fingerprint = 'typo-0001';
    typo.alerts[1]!.fingerprint = 'typo-0002';
    const res = await post('/v1/alerts/alertmanager', JSON.stringify(typo), bearer);
    expect(res.status).toBe(202);
    expect(res.json.rejected).toEqual([
      {
        index: 0,
        fingerprint: 'typo-0001',
        modelId: 'fraud-sae',
        field: 'alerts[0].labels.model',
        reason: expect.stringContaining('flywheel start'),
      },
    ]);
    expect(sink.received.map((a) => a.modelId)).toEqual(['churn']);

    const generic = await post('/v1/alerts', JSON.stringify({ model: 'fraud-sae', kind: 'retrain' }), bearer);
    expect(generic.status).toBe(404);
    expect(generic.json).toMatchObject({ error: 'no_flywheel', message: expect.stringContaining('flywheel start') });
  });

  it('takes annotations.value as the score when there is no annotations.score', async () => {
    const am = JSON.parse(fixtureForModel('churn')) as {
      alerts: Array<{ annotations: Record<string, string>; fingerprint: string }>;
    };
    delete am.alerts[0]!.annotations.score;
    am.alerts[0]!.annotations.value = '0.41';
    am.alerts[0]!.fingerprint = 'value-0001';
    am.alerts[1]!.fingerprint = 'value-0002';
    const res = await post('/v1/alerts/alertmanager', JSON.stringify(am), bearer);
    expect(res.status).toBe(202);
    expect(sink.received.map((a) => a.score)).toEqual([0.41, 0.27]);
  });

  it('holds a performance alert with only severity: critical to the floor, saying why, instead of guessing 0.9 points', async () => {
    const am = JSON.parse(fixtureForModel('churn')) as {
      alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string>; fingerprint: string }>;
    };
    am.alerts = am.alerts.slice(0, 1);
    am.alerts[0]!.labels = { ...am.alerts[0]!.labels, kind: 'performance', severity: 'critical' };
    delete am.alerts[0]!.annotations.score;
    am.alerts[0]!.fingerprint = 'perf-0001';
    const res = await post('/v1/alerts/alertmanager', JSON.stringify(am), bearer);
    expect(res.status).toBe(202);
    expect(res.json.signalled).toEqual([
      expect.objectContaining({
        kind: 'performance',
        score: 0,
        held: expect.stringMatching(/severity "critical" cannot say how many points of degradation.*held to the floor/),
      }),
    ]);
    expect(sink.received[0]).toMatchObject({ kind: 'performance', score: 0 });
  });

  it('refuses 23 malformed, unsigned, stale or wrongly signed payloads with the right status and reason, and signals nothing', async () => {
    const cases = refusedPayloads({ token: TOKEN, secret: SECRET }, 'churn');
    expect(cases).toHaveLength(23);
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
    await expect(bare.register(alertWebhook, { sink, auth: {} }).ready()).rejects.toThrow(
      /bearer token or an HMAC secret/,
    );
    await bare.close();
  });

  it('refuses to start with a tolerance that is not a whole number of seconds', async () => {
    const bad = Fastify();
    await expect(
      bad.register(alertWebhook, { sink, auth: { hmacSecret: SECRET, hmacToleranceSeconds: 0.5 } }).ready(),
    ).rejects.toThrow(/hmacToleranceSeconds must be a whole number/);
    await bad.close();
  });
});
