import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReplayGuard } from '../../../src/alerts/replay-guard.js';
import { signRequest } from '../../../src/alerts/request-signature.js';
import { WebhookAuthenticator, type AuthOutcome } from '../../../src/alerts/webhook-auth.js';

const SECRET = 'hmac-secret-5c2e';
const T0 = Date.UTC(2026, 10, 22, 9, 0, 0); // 1795338000 unix seconds
const BODY = Buffer.from(JSON.stringify({ model: 'churn', kind: 'drift', score: 0.4 }));

/** A webhook authenticator on a clock the test moves. */
function setup(options: { hmacToleranceSeconds?: number; bearerToken?: string } = {}) {
  const clock = { ms: T0 };
  const auth = new WebhookAuthenticator({ hmacSecret: SECRET, ...options }, () => clock.ms);
  const check = (headers: Record<string, string>, body: Buffer = BODY): AuthOutcome => auth.authenticate(headers, body);
  return { clock, auth, check };
}
const signedAt = (ms: number, body: Buffer | string = BODY, secret = SECRET) => ({
  ...signRequest(secret, body, () => ms),
});
const reasonOf = (o: AuthOutcome) => (o.ok ? 'accepted' : o.reason);

describe('signRequest', () => {
  it('returns the unix seconds and the HMAC-SHA256 of "<timestamp>.<body>", as the bash example computes it', () => {
    const headers = signRequest(SECRET, BODY, () => T0 + 999);
    expect(headers['x-ct-timestamp']).toBe('1795338000');
    const expected = createHmac('sha256', SECRET).update(`1795338000.${BODY.toString()}`).digest('hex');
    expect(headers['x-ct-signature']).toBe(`sha256=${expected}`);
  });
});

describe('WebhookAuthenticator, timestamped HMAC', () => {
  it('accepts a request signed now, and one signed 300 s ago or 300 s ahead (the default window, inclusive)', () => {
    const { check } = setup();
    expect(check(signedAt(T0))).toMatchObject({ ok: true, method: 'hmac' });
    expect(check(signedAt(T0 - 300_000))).toMatchObject({ ok: true });
    expect(check(signedAt(T0 + 300_000))).toMatchObject({ ok: true });
  });

  it('refuses a signature without a timestamp, or with one that is not whole unix seconds', () => {
    const { check } = setup();
    const { 'x-ct-signature': signature, 'x-ct-timestamp': ts } = signedAt(T0);
    expect(reasonOf(check({ 'x-ct-signature': signature }))).toMatch(
      /^missing x-ct-timestamp: send the unix seconds you signed at/,
    );
    expect(reasonOf(check({ 'x-ct-signature': signature, 'x-ct-timestamp': `${ts}.5` }))).toContain(
      'must be whole unix seconds',
    );
    expect(
      reasonOf(check({ 'x-ct-signature': signature, 'x-ct-timestamp': 'Sun, 22 Nov 2026 09:00:00 GMT' })),
    ).toContain('must be whole unix seconds');
  });

  it('refuses a stale timestamp, saying how old it is and what to do', () => {
    const { check } = setup();
    expect(reasonOf(check(signedAt(T0 - 301_000)))).toContain('is 301 s old; the tolerance is 300 s');
    expect(reasonOf(check(signedAt(T0 - 612_000)))).toBe(
      "x-ct-timestamp is 612 s old; the tolerance is 300 s: sign each request when you send it (and check the sender's clock)",
    );
  });

  it('refuses a future-dated timestamp beyond the window, and hints at milliseconds sent as seconds', () => {
    const { check } = setup();
    expect(reasonOf(check(signedAt(T0 + 301_000)))).toBe(
      "x-ct-timestamp is 301 s in the future; the tolerance is 300 s: check the sender's clock",
    );
    // A sender that put Date.now() (ms) in the header and signed that.
    const msStamp = String(T0);
    const mac = createHmac('sha256', SECRET).update(`${msStamp}.${BODY.toString()}`).digest('hex');
    expect(reasonOf(check({ 'x-ct-timestamp': msStamp, 'x-ct-signature': `sha256=${mac}` }))).toContain(
      'looks like milliseconds',
    );
  });

  it('refuses a tampered body, a moved timestamp, a wrong secret and a body-only signature', () => {
    const { check } = setup();
    const headers = signedAt(T0);
    expect(reasonOf(check(headers, Buffer.from(BODY.toString().replace('0.4', '0.9'))))).toMatch(
      /^invalid body signature/,
    );
    expect(reasonOf(check({ ...headers, 'x-ct-timestamp': String(Number(headers['x-ct-timestamp']) + 60) }))).toMatch(
      /^invalid body signature/,
    );
    expect(reasonOf(check(signedAt(T0, BODY, 'not-the-secret')))).toMatch(/^invalid body signature/);
    const bodyOnly = `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`;
    expect(reasonOf(check({ ...headers, 'x-ct-signature': bodyOnly }))).toMatch(/^invalid body signature/);
  });

  it('refuses the same timestamp and signature twice within the window, then as stale once the window has passed', () => {
    const { check, clock } = setup();
    const headers = signedAt(T0);
    expect(check(headers).ok).toBe(true);
    clock.ms = T0 + 299_000;
    expect(reasonOf(check(headers))).toMatch(/^replayed request/);
    clock.ms = T0 + 301_000;
    expect(reasonOf(check(headers))).toContain('is 301 s old');
    // A different body signed in the same second is a different request.
    expect(
      check(signedAt(clock.ms, '{"model":"churn","kind":"retrain"}'), Buffer.from('{"model":"churn","kind":"retrain"}'))
        .ok,
    ).toBe(true);
  });

  it('lets a released (undelivered) signed request through once more', () => {
    const { auth, check } = setup();
    const headers = signedAt(T0);
    const first = check(headers);
    auth.release(first);
    expect(check(headers).ok).toBe(true);
    expect(check(headers).ok).toBe(false);
  });

  it('honours a configured tolerance', () => {
    const { check } = setup({ hmacToleranceSeconds: 30 });
    expect(check(signedAt(T0 - 30_000)).ok).toBe(true);
    expect(reasonOf(check(signedAt(T0 - 31_000)))).toContain('is 31 s old; the tolerance is 30 s');
  });

  it('still accepts a bearer token without any timestamp, and never records it as a replay', () => {
    const { check } = setup({ bearerToken: 'tok' });
    expect(check({ authorization: 'Bearer tok' })).toEqual({ ok: true, method: 'bearer' });
    expect(check({ authorization: 'Bearer tok' })).toEqual({ ok: true, method: 'bearer' });
  });
});

describe('ReplayGuard', () => {
  it('forgets claims whose timestamps have left the window, and never holds more than its cap', () => {
    const clock = { ms: T0 };
    const guard = new ReplayGuard(300, () => clock.ms, 3);
    const sec = T0 / 1000;
    for (const k of ['a', 'b', 'c']) expect(guard.claim(k, sec)).toBe(true);
    expect(guard.claim('a', sec)).toBe(false);
    expect(guard.claim('d', sec)).toBe(true);
    expect(guard.size).toBe(3); // 'a', the oldest, made room
    clock.ms = T0 + 301_000;
    expect(guard.claim('e', sec + 301)).toBe(true);
    expect(guard.size).toBe(1);
  });
});
