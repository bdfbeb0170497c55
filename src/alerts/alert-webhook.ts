import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ALERT_SIGNAL, GenericAlertSchema, type FlywheelAlert } from './alert-schemas.js';
import type { AlertSink } from './alert-sink.js';
import { AlertmanagerPayloadSchema } from './alertmanager-schema.js';
import { FingerprintDedup } from './fingerprint-dedup.js';
import { alertsFromAlertmanager } from './from-alertmanager.js';
import { toFlywheelSignal } from './signal-payload.js';
import { WebhookAuthenticator, type AuthOutcome, type WebhookAuthOptions } from './webhook-auth.js';

export interface AlertWebhookOptions {
  sink: AlertSink;
  auth: WebhookAuthOptions;
  /** The same fingerprint within this window is signalled once (default 1 h). */
  dedupTtlMs?: number;
  /** Largest accepted body in bytes (default 1 MiB). */
  bodyLimit?: number;
  now?: () => number;
}

export class AlertWebhookConfigError extends Error {
  override name = 'AlertWebhookConfigError';
}

type SignalledAlert = { modelId: string; kind: string; signal: string; fingerprint?: string };

function zodIssues(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

/**
 * Fastify plugin with the alert endpoints: `POST /v1/alerts/alertmanager` (Alertmanager
 * webhook payload version 4) and `POST /v1/alerts` (generic JSON). Order of checks:
 * authentication on the raw bytes — bearer token, or a timestamped HMAC signature that
 * is fresh and not a replay (401) — then JSON and schema (400), then one
 * signal-with-start per new firing alert (202; 503 if Temporal could not be reached, so
 * the sender retries). Register it on the gateway or on a server of its own.
 */
export async function alertWebhook(app: FastifyInstance, options: AlertWebhookOptions): Promise<void> {
  if (!options.auth.bearerToken && !options.auth.hmacSecret) {
    throw new AlertWebhookConfigError('alert webhook needs a bearer token or an HMAC secret (or both); refusing to accept unauthenticated alerts');
  }
  const tolerance = options.auth.hmacToleranceSeconds;
  if (tolerance !== undefined && !(Number.isInteger(tolerance) && tolerance >= 1)) {
    throw new AlertWebhookConfigError(`auth.hmacToleranceSeconds must be a whole number of seconds >= 1 (default 300), got ${tolerance}`);
  }
  const now = options.now ?? Date.now;
  const authenticator = new WebhookAuthenticator(options.auth, now);
  const dedup = new FingerprintDedup(options.dedupTtlMs ?? 3_600_000, now);
  const inFlight = new Set<string>();

  // Keep the raw bytes: the HMAC is over exactly what was sent, and auth must come
  // before parsing so an unsigned malformed body is a 401, not a 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimit ?? 1_048_576 }, (_req, body, done) => done(null, body));

  async function deliver(alerts: FlywheelAlert[], auth: AuthOutcome, reply: FastifyReply, request: FastifyRequest) {
    const issues = alerts.flatMap((alert, i) => {
      const signal = toFlywheelSignal(alert);
      return signal.ok ? [] : signal.issues.map((issue) => ({ ...issue, path: alerts.length > 1 ? `alerts.${i}.${issue.path}` : issue.path }));
    });
    if (issues.length > 0) return reply.code(400).send({ error: 'invalid_alert', issues });
    const signalled: SignalledAlert[] = [];
    const duplicates: string[] = [];
    for (const alert of alerts) {
      const key = alert.fingerprint ? `${alert.modelId}|${alert.fingerprint}` : undefined;
      if (key && (dedup.isDuplicate(key) || inFlight.has(key))) {
        duplicates.push(alert.fingerprint as string);
        continue;
      }
      if (key) inFlight.add(key);
      try {
        await options.sink.signalAlert(alert);
        if (key) dedup.record(key);
      } catch (err) {
        request.log.error({ err, modelId: alert.modelId, kind: alert.kind }, 'alert could not be signalled to the flywheel');
        // Not delivered: the sender may retry the same signed bytes within the window.
        authenticator.release(auth);
        return reply.code(503).send({
          error: 'signal_failed',
          message: `could not signal flywheel:${alert.modelId}: ${(err as Error).message}; retry later`,
          signalled,
        });
      } finally {
        if (key) inFlight.delete(key);
      }
      signalled.push({ modelId: alert.modelId, kind: alert.kind, signal: ALERT_SIGNAL[alert.kind].name, ...(alert.fingerprint ? { fingerprint: alert.fingerprint } : {}) });
      request.log.info({ modelId: alert.modelId, kind: alert.kind, source: alert.source }, 'alert signalled to flywheel');
    }
    return reply.code(202).send({ signalled, duplicates });
  }

  /** Auth then JSON; returns the parsed body and who sent it, or undefined after replying. */
  function readBody(request: FastifyRequest, reply: FastifyReply): { body: unknown; auth: AuthOutcome } | undefined {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const auth = authenticator.authenticate(request.headers, raw);
    if (!auth.ok) {
      void reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: auth.reason });
      return undefined;
    }
    if (raw.length === 0) {
      void reply.code(400).send({ error: 'invalid_json', message: 'empty body: send a JSON object' });
      return undefined;
    }
    try {
      return { body: JSON.parse(raw.toString('utf8')) as unknown, auth };
    } catch (err) {
      void reply.code(400).send({ error: 'invalid_json', message: `body is not JSON: ${(err as Error).message}` });
      return undefined;
    }
  }

  app.post('/v1/alerts/alertmanager', async (request, reply) => {
    const read = readBody(request, reply);
    if (read === undefined) return reply;
    const parsed = AlertmanagerPayloadSchema.safeParse(read.body);
    if (!parsed.success) return reply.code(400).send({ error: 'invalid_alert', issues: zodIssues(parsed.error) });
    return deliver(alertsFromAlertmanager(parsed.data, now()), read.auth, reply, request);
  });

  app.post('/v1/alerts', async (request, reply) => {
    const read = readBody(request, reply);
    if (read === undefined) return reply;
    const parsed = GenericAlertSchema.safeParse(read.body);
    if (!parsed.success) return reply.code(400).send({ error: 'invalid_alert', issues: zodIssues(parsed.error) });
    const a = parsed.data;
    const alert: FlywheelAlert = {
      modelId: a.model,
      kind: a.kind,
      ...(a.severity ? { severity: a.severity } : {}),
      ...(a.score !== undefined ? { score: a.score } : {}),
      ...(a.reason ? { reason: a.reason } : {}),
      source: a.source ?? 'http',
      ...(a.dedupKey ? { fingerprint: a.dedupKey } : {}),
      receivedAtMs: now(),
    };
    return deliver([alert], read.auth, reply, request);
  });
}
