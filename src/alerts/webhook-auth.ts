import { timingSafeEqual } from 'node:crypto';
import type { AlertClaimStore } from '../domain/alert-claims.js';
import { MemoryAlertClaims } from './memory-alert-claims.js';
import { ReplayGuard } from './replay-guard.js';
import {
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySignedRequest,
} from './request-signature.js';

/** How callers prove who they are; at least one of token and secret must be configured. */
export interface WebhookAuthOptions {
  /** Accepted as `Authorization: Bearer <token>`. */
  bearerToken?: string;
  /**
   * Key for `X-Ct-Timestamp: <unix seconds>` + `X-Ct-Signature: sha256=<hex HMAC-SHA256
   * of "<timestamp>.<raw body>">` (see `signRequest`).
   */
  hmacSecret?: string;
  /** How far a signed timestamp may be from now, either way (default 300 s). */
  hmacToleranceSeconds?: number;
}

export type AuthOutcome =
  { ok: true; method: 'bearer' } | { ok: true; method: 'hmac'; replayKey: string } | { ok: false; reason: string };

type Headers = Record<string, string | string[] | undefined>;

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks each request's bearer token or timestamped body signature, and refuses a signed
 * request already accepted within the tolerance window (a replay). The accepted signatures
 * are claims in `claims`: give every replica the same (database) store and a replay is
 * refused whichever replica it reaches, also after a restart; the default is this process's memory.
 */
export class WebhookAuthenticator {
  private readonly toleranceSec: number;
  private readonly replays: ReplayGuard;

  constructor(
    private readonly options: WebhookAuthOptions,
    private readonly now: () => number = Date.now,
    claims: AlertClaimStore = new MemoryAlertClaims(now),
  ) {
    this.toleranceSec = options.hmacToleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
    this.replays = new ReplayGuard(this.toleranceSec, claims);
  }

  /**
   * Authenticates one request in constant time over the exact bytes received, so it must
   * run before any JSON parsing. An accepted signature is remembered until it leaves the
   * window; call {@link release} if the request could not be delivered, so the sender's
   * retry of the same signed bytes is let through.
   */
  async authenticate(headers: Headers, rawBody: Buffer): Promise<AuthOutcome> {
    const authorization = headerValue(headers.authorization);
    const signature = headerValue(headers[SIGNATURE_HEADER]);
    if (this.options.bearerToken && authorization !== undefined) {
      const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
      if (match?.[1] && safeEqual(Buffer.from(match[1]), Buffer.from(this.options.bearerToken)))
        return { ok: true, method: 'bearer' };
    }
    if (this.options.hmacSecret && signature !== undefined) {
      const check = verifySignedRequest(
        this.options.hmacSecret,
        headerValue(headers[TIMESTAMP_HEADER]),
        signature,
        rawBody,
        this.now(),
        this.toleranceSec,
      );
      if (!check.ok) return check;
      if (!(await this.replays.claim(check.replayKey, check.timestampSec))) {
        return {
          ok: false,
          reason:
            'replayed request: this timestamp and signature were already accepted; sign each request afresh when you send it',
        };
      }
      return { ok: true, method: 'hmac', replayKey: check.replayKey };
    }
    if (authorization === undefined && signature === undefined) {
      return {
        ok: false,
        reason: `missing credentials: send "Authorization: Bearer <token>" or "X-Ct-Timestamp" + "X-Ct-Signature: sha256=<hmac>"`,
      };
    }
    return { ok: false, reason: 'invalid bearer token or body signature' };
  }

  /** Forgets an accepted signature (the request was not delivered; its retry may pass). */
  async release(outcome: AuthOutcome): Promise<void> {
    if (outcome.ok && outcome.method === 'hmac') await this.replays.release(outcome.replayKey);
  }
}
