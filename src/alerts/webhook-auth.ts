import { createHmac, timingSafeEqual } from 'node:crypto';

/** How callers prove who they are; at least one must be configured. */
export interface WebhookAuthOptions {
  /** Accepted as `Authorization: Bearer <token>`. */
  bearerToken?: string;
  /** Key for `X-Ct-Signature: sha256=<hex HMAC-SHA256 of the raw body>`. */
  hmacSecret?: string;
}

export const SIGNATURE_HEADER = 'x-ct-signature';

export type AuthOutcome = { ok: true; method: 'bearer' | 'hmac' } | { ok: false; reason: string };

function safeEqual(a: Buffer, b: Buffer): boolean {
  // timingSafeEqual needs equal lengths; the length itself is not secret.
  return a.length === b.length && timingSafeEqual(a, b);
}

/** HMAC-SHA256 signature header value for a body, as senders must compute it. */
export function signBody(secret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks a request's bearer token or body signature in constant time. The signature is
 * computed over the exact bytes received, so it must run before any JSON parsing.
 */
export function authenticate(
  options: WebhookAuthOptions,
  headers: Record<string, string | string[] | undefined>,
  rawBody: Buffer,
): AuthOutcome {
  const authorization = headerValue(headers.authorization);
  const signature = headerValue(headers[SIGNATURE_HEADER]);
  if (options.bearerToken && authorization !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1] && safeEqual(Buffer.from(match[1]), Buffer.from(options.bearerToken))) {
      return { ok: true, method: 'bearer' };
    }
  }
  if (options.hmacSecret && signature !== undefined) {
    const expected = Buffer.from(signBody(options.hmacSecret, rawBody));
    if (safeEqual(Buffer.from(signature.trim().toLowerCase()), expected)) return { ok: true, method: 'hmac' };
  }
  if (authorization === undefined && signature === undefined) {
    return { ok: false, reason: `missing credentials: send "Authorization: Bearer <token>" or "X-Ct-Signature: sha256=<hmac>"` };
  }
  return { ok: false, reason: 'invalid bearer token or body signature' };
}
