import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Unix seconds at which the sender signed the request; part of what is signed. */
export const TIMESTAMP_HEADER = 'x-ct-timestamp';
/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. */
export const SIGNATURE_HEADER = 'x-ct-signature';
/** How far a signed timestamp may be from the server's clock, either way, by default. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The two headers a signed request carries. */
export interface SignedHeaders {
  [TIMESTAMP_HEADER]: string;
  [SIGNATURE_HEADER]: string;
}

export type SignatureCheck = { ok: true; timestampSec: number; replayKey: string } | { ok: false; reason: string };

// Whole unix seconds only: a float or a date string is a sender bug worth naming.
const TimestampSchema = z
  .string()
  .trim()
  .regex(/^\d{1,15}$/, 'must be whole unix seconds, e.g. the output of `date +%s`');

function hexSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  // The timestamp is inside the MAC, so it cannot be moved forward on a captured request.
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * The headers a sender attaches to `rawBody`: the current unix time and the HMAC-SHA256
 * of `<timestamp>.<raw body>`. Pass `now` (milliseconds, like `Date.now`) to sign for a
 * fixed time, e.g. in tests. Sign each request when you send it: the webhook refuses
 * timestamps outside its tolerance window and a signature it has already accepted.
 */
export function signRequest(secret: string, rawBody: Buffer | string, now: () => number = Date.now): SignedHeaders {
  const timestamp = String(Math.floor(now() / 1000));
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `sha256=${hexSignature(secret, timestamp, rawBody)}` };
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  // timingSafeEqual needs equal lengths; the length itself is not secret.
  return a.length === b.length && timingSafeEqual(a, b);
}

function windowReason(ageSec: number, toleranceSec: number): string | undefined {
  if (ageSec > toleranceSec) {
    return `${TIMESTAMP_HEADER} is ${ageSec} s old; the tolerance is ${toleranceSec} s: sign each request when you send it (and check the sender's clock)`;
  }
  if (-ageSec > toleranceSec) {
    const hint = -ageSec > 1e9 ? ' (it looks like milliseconds: send unix seconds)' : '';
    return `${TIMESTAMP_HEADER} is ${-ageSec} s in the future; the tolerance is ${toleranceSec} s: check the sender's clock${hint}`;
  }
  return undefined;
}

/**
 * Checks a signed request against `secret` at time `nowMs`: the timestamp parses, the
 * signature matches the exact bytes received (constant time), and the timestamp is
 * within `toleranceSec` of now. Replays inside the window are the caller's job
 * (see `ReplayGuard`), keyed by the returned `replayKey`.
 */
export function verifySignedRequest(
  secret: string,
  timestampHeader: string | undefined,
  signatureHeader: string,
  rawBody: Buffer,
  nowMs: number,
  toleranceSec: number,
): SignatureCheck {
  if (timestampHeader === undefined) {
    return {
      ok: false,
      reason: `missing ${TIMESTAMP_HEADER}: send the unix seconds you signed at, and sign "<timestamp>.<raw body>"`,
    };
  }
  const parsed = TimestampSchema.safeParse(timestampHeader);
  if (!parsed.success)
    return {
      ok: false,
      reason: `${TIMESTAMP_HEADER} "${timestampHeader.slice(0, 40)}" ${parsed.error.issues[0]?.message ?? 'is invalid'}`,
    };
  const timestamp = parsed.data;
  const expected = `sha256=${hexSignature(secret, timestamp, rawBody)}`;
  const given = signatureHeader.trim().toLowerCase();
  if (!safeEqual(Buffer.from(given), Buffer.from(expected))) {
    return {
      ok: false,
      reason: `invalid body signature: ${SIGNATURE_HEADER} must be "sha256=" + hex HMAC-SHA256 of "<${TIMESTAMP_HEADER}>.<raw body>"`,
    };
  }
  // Checked after the MAC so only holders of the secret learn about the clock window.
  const timestampSec = Number(timestamp);
  const reason = windowReason(Math.floor(nowMs / 1000) - timestampSec, toleranceSec);
  if (reason) return { ok: false, reason };
  return { ok: true, timestampSec, replayKey: `${timestamp}.${given}` };
}
