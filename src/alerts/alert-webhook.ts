import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AlertClaimStore } from '../domain/alert-claims.js';
import { GenericAlertSchema, type FlywheelAlert } from './alert-schemas.js';
import type { AlertSink } from './alert-sink.js';
import { AlertmanagerPayloadSchema } from './alertmanager-schema.js';
import { FingerprintDedup } from './fingerprint-dedup.js';
import { alertScore } from './alert-score.js';
import { alertsFromAlertmanager } from './from-alertmanager.js';
import { rejectedAlert, type RejectedAlert } from './rejected-alert.js';
import { MemoryAlertClaims } from './memory-alert-claims.js';
import { toFlywheelSignal } from './signal-payload.js';
import { WebhookAuthenticator, type AuthOutcome, type WebhookAuthOptions } from './webhook-auth.js';

export interface AlertWebhookOptions {
  sink: AlertSink;
  auth: WebhookAuthOptions;
  /** The same episode of an alert (fingerprint + startsAt) within this window is signalled once (default 1 h). */
  dedupTtlMs?: number;
  /**
   * Where the de-dup and the replay guard keep their claims. Give every replica the same
   * store (the serving-state database's) so both hold across replicas and restarts; the
   * default is this process's memory.
   */
  claims?: AlertClaimStore;
  /** Largest accepted body in bytes (default 1 MiB). */
  bodyLimit?: number;
  now?: () => number;
}

export class AlertWebhookConfigError extends Error {
  override name = 'AlertWebhookConfigError';
}

/** The 202 answer: what was signalled, what was a repeat within the de-dup window, what was rejected and why. */
interface DeliveryAnswer {
  signalled: SignalledAlert[];
  duplicates: string[];
  rejected: RejectedAlert[];
}

type SignalledAlert = {
  modelId: string;
  kind: string;
  signal: string;
  fingerprint?: string;
  score?: number;
  held?: string;
};

function zodIssues(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}

/**
 * Fastify plugin with the alert endpoints: `POST /v1/alerts/alertmanager` (Alertmanager
 * webhook payload version 4) and `POST /v1/alerts` (generic JSON). Order of checks:
 * authentication on the raw bytes — bearer token, or a timestamped HMAC signature that
 * is fresh and not a replay (401) — then JSON and the notification's shape (400), then
 * each alert on its own: one signal per new accepted firing alert (and one `alertResolved`
 * per new resolved one), the rest listed under
 * `rejected` with the field to fix (202; 503 if Temporal could not be reached, so the
 * sender retries). Register it on the gateway or on a server of its own.
 */
export async function alertWebhook(app: FastifyInstance, options: AlertWebhookOptions): Promise<void> {
  if (!options.auth.bearerToken && !options.auth.hmacSecret) {
    throw new AlertWebhookConfigError(
      'alert webhook needs a bearer token or an HMAC secret (or both); refusing to accept unauthenticated alerts',
    );
  }
  const tolerance = options.auth.hmacToleranceSeconds;
  if (tolerance !== undefined && !(Number.isInteger(tolerance) && tolerance >= 1)) {
    throw new AlertWebhookConfigError(
      `auth.hmacToleranceSeconds must be a whole number of seconds >= 1 (default 300), got ${tolerance}`,
    );
  }
  const now = options.now ?? Date.now;
  const claims = options.claims ?? new MemoryAlertClaims(now);
  const authenticator = new WebhookAuthenticator(options.auth, now, claims);
  const dedup = new FingerprintDedup(claims, options.dedupTtlMs ?? 3_600_000, now);

  // Keep the raw bytes: the HMAC is over exactly what was sent, and auth must come
  // before parsing so an unsigned malformed body is a 401, not a 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimit ?? 1_048_576 }, (_req, body, done) =>
    done(null, body),
  );

  /**
   * Signals each alert on its own: one the flywheel would refuse, or whose model has no
   * running flywheel, is rejected with its field and reason; the others still go. Only an
   * unreachable Temporal stops the batch (503, so the sender retries the whole notification;
   * what was signalled is de-duplicated on the retry).
   */
  async function deliver(
    alerts: FlywheelAlert[],
    rejectedBefore: RejectedAlert[],
    auth: AuthOutcome,
    reply: FastifyReply,
    request: FastifyRequest,
  ): Promise<DeliveryAnswer | FastifyReply> {
    const signalled: SignalledAlert[] = [];
    const duplicates: string[] = [];
    const rejected = [...rejectedBefore];
    const rejectAlert = (alert: FlywheelAlert, field: string, reason: string) =>
      rejected.push(rejectedAlert(alert, field, reason));
    for (const alert of alerts) {
      const signal = toFlywheelSignal(alert);
      if (!signal.ok) {
        const issue = signal.issues[0]!;
        const field = alert.fields?.[issue.path] ?? issue.path;
        rejectAlert(alert, field, `${field}: ${issue.message}`);
        continue;
      }
      const key = episodeKey(alert);
      if (key && !(await dedup.claim(key))) {
        duplicates.push(alert.fingerprint as string);
        continue;
      }
      try {
        const delivery = await options.sink.signalAlert(alert);
        if (!delivery.delivered) {
          if (key) await dedup.release(key);
          rejectAlert(alert, alert.fields?.model ?? 'model', delivery.reason);
          request.log.warn({ modelId: alert.modelId, kind: alert.kind }, 'alert rejected: no running flywheel');
          continue;
        }
        if (key) await dedup.delivered(key);
      } catch (err) {
        request.log.error(
          { err, modelId: alert.modelId, kind: alert.kind },
          'alert could not be signalled to the flywheel',
        );
        // Not delivered: the sender may retry the same signed bytes within the window.
        if (key) await dedup.release(key).catch(() => undefined);
        await authenticator.release(auth).catch(() => undefined);
        return reply.code(503).send({
          error: 'signal_failed',
          message: `could not signal flywheel:${alert.modelId}: ${(err as Error).message}; retry later`,
          signalled,
        });
      }
      signalled.push({
        modelId: alert.modelId,
        kind: alert.kind,
        signal: signal.signal.name,
        ...(alert.fingerprint ? { fingerprint: alert.fingerprint } : {}),
        ...(alert.score !== undefined ? { score: alert.score } : {}),
        ...(alert.held ? { held: alert.held } : {}),
      });
      request.log.info(
        { modelId: alert.modelId, kind: alert.kind, source: alert.source },
        'alert signalled to flywheel',
      );
    }
    return { signalled, duplicates, rejected };
  }

  /** Auth then JSON; returns the parsed body and who sent it, or undefined after replying. */
  async function readBody(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ body: unknown; auth: AuthOutcome } | undefined> {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const auth = await authenticator.authenticate(request.headers, raw);
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
    const read = await readBody(request, reply);
    if (read === undefined) return reply;
    const parsed = AlertmanagerPayloadSchema.safeParse(read.body);
    if (!parsed.success) return reply.code(400).send({ error: 'invalid_alert', issues: zodIssues(parsed.error) });
    const { alerts, rejected } = alertsFromAlertmanager(parsed.data, now());
    const answer = await deliver(alerts, rejected, read.auth, reply, request);
    // Alertmanager treats any 4xx as final for the whole group: per-alert refusals ride in the 202.
    return 'signalled' in answer ? reply.code(202).send(answer) : answer;
  });

  app.post('/v1/alerts', async (request, reply) => {
    const read = await readBody(request, reply);
    if (read === undefined) return reply;
    const parsed = GenericAlertSchema.safeParse(read.body);
    if (!parsed.success) return reply.code(400).send({ error: 'invalid_alert', issues: zodIssues(parsed.error) });
    const a = parsed.data;
    const score = alertScore(a.kind, {
      score: a.score,
      severity: a.severity,
      fields: { score: 'score', severity: 'severity' },
    });
    if (!score.ok)
      return reply.code(400).send({ error: 'invalid_alert', issues: [{ path: score.field, message: score.reason }] });
    const alert: FlywheelAlert = {
      modelId: a.model,
      kind: a.kind,
      ...(a.severity ? { severity: a.severity } : {}),
      ...(score.score !== undefined ? { score: score.score } : {}),
      ...(score.held ? { held: score.held } : {}),
      ...(a.reason ? { reason: a.reason } : {}),
      source: a.source ?? 'http',
      ...(a.dedupKey ? { fingerprint: a.dedupKey } : {}),
      receivedAtMs: now(),
    };
    const signal = toFlywheelSignal(alert);
    if (!signal.ok) return reply.code(400).send({ error: 'invalid_alert', issues: signal.issues });
    const answer = await deliver([alert], [], read.auth, reply, request);
    if (!('signalled' in answer)) return answer;
    const [refused] = answer.rejected;
    // One alert, so one status: a model with no running flywheel is a 404 the sender can act on.
    if (refused) return reply.code(404).send({ error: 'no_flywheel', message: refused.reason, ...answer });
    return reply.code(202).send(answer);
  });
}

/**
 * What makes two deliveries the same alert: its model, its fingerprint (Alertmanager's, or
 * the generic route's `dedupKey`) and, for Alertmanager, the episode's `startsAt`: an alert
 * that resolved and fired again is a new episode and is signalled again.
 */
function episodeKey(alert: FlywheelAlert): string | undefined {
  if (!alert.fingerprint) return undefined;
  // The episode's end is a delivery of its own: resolving is signalled once, beside the firing.
  return [
    alert.modelId,
    alert.fingerprint,
    ...(alert.startsAt ? [alert.startsAt] : []),
    ...(alert.resolved ? ['resolved'] : []),
  ].join('|');
}
