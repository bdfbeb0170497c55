import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryAlertClaims } from '../../../src/alerts/memory-alert-claims.js';
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
  const check = (headers: Record<string, string>, body: Buffer = BODY): Promise<AuthOutcome> =>
    auth.authenticate(headers, body);
  return { clock, auth, check };
}
const signedAt = (ms: number, body: Buffer | string = BODY, secret = SECRET) => ({
  ...signRequest(secret, body, () => ms),
});
const reasonOf = (o: AuthOutcome) => (o.ok ? 'accepted' : o.reason);

describe('signRequest', () => {
  it('returns the unix seconds and the HMAC-SHA256 of "<timestamp>.<body>", as the bash example computes it', async () => {
    const headers = signRequest(SECRET, BODY, () => T0 + 999);
    expect(headers['x-ct-timestamp']).toBe('1795338000');
    const expected = createHmac('sha256', SECRET).update(`1795338000.${BODY.toString()}`).digest('hex');
    expect(headers['x-ct-signature']).toBe(`sha256=${expected}`);
  });
});

describe('WebhookAuthenticator, timestamped HMAC', () => {
  it('accepts a request signed now, and one signed 300 s ago or 300 s ahead (the default window, inclusive)', async () => {
    const { check } = setup();
    expect(await check(signedAt(T0))).toMatchObject({ ok: true, method: 'hmac' });
    expect(await check(signedAt(T0 - 300_000))).toMatchObject({ ok: true });
    expect(await check(signedAt(T0 + 300_000))).toMatchObject({ ok: true });
  });

  it('refuses a signature without a timestamp, or with one that is not whole unix seconds', async () => {
    const { check } = setup();
    const { 'x-ct-signature': signature, 'x-ct-timestamp': ts } = signedAt(T0);
    expect(reasonOf(await check({ 'x-ct-signature': signature }))).toMatch(
      /^missing x-ct-timestamp: send the unix seconds you signed at/,
    );
    expect(reasonOf(await check({ 'x-ct-signature': signature, 'x-ct-timestamp': `${ts}.5` }))).toContain(
      'must be whole unix seconds',
    );
    expect(
      reasonOf(await check({ 'x-ct-signature': signature, 'x-ct-timestamp': 'Sun, 22 Nov 2026 09:00:00 GMT' })),
    ).toContain('must be whole unix seconds');
  });

  it('refuses a stale timestamp, saying how old it is and what to do', async () => {
    const { check } = setup();
    expect(reasonOf(await check(signedAt(T0 - 301_000)))).toContain('is 301 s old; the tolerance is 300 s');
    expect(reasonOf(await check(signedAt(T0 - 612_000)))).toBe(
      "x-ct-timestamp is 612 s old; the tolerance is 300 s: sign each request when you send it (and check the sender's clock)",
    );
  });

  it('refuses a future-dated timestamp beyond the window, and hints at milliseconds sent as seconds', async () => {
    const { check } = setup();
    expect(reasonOf(await check(signedAt(T0 + 301_000)))).toBe(
      "x-ct-timestamp is 301 s in the future; the tolerance is 300 s: check the sender's clock",
    );
    // A sender that put Date.now() (ms) in the header and signed that.
    const msStamp = String(T0);
    const mac = createHmac('sha256', SECRET).update(`${msStamp}.${BODY.toString()}`).digest('hex');
    expect(reasonOf(await check({ 'x-ct-timestamp': msStamp, 'x-ct-signature': `sha256=${mac}` }))).toContain(
      'looks like milliseconds',
    );
  });

  it('refuses a tampered body, a moved timestamp, a wrong secret and a body-only signature', async () => {
    const { check } = setup();
    const headers = signedAt(T0);
    expect(reasonOf(await check(headers, Buffer.from(BODY.toString().replace('0.4', '0.9'))))).toMatch(
      /^invalid body signature/,
    );
    expect(
      reasonOf(await check({ ...headers, 'x-ct-timestamp': String(Number(headers['x-ct-timestamp']) + 60) })),
    ).toMatch(/^invalid body signature/);
    expect(reasonOf(await check(signedAt(T0, BODY, 'not-the-secret')))).toMatch(/^invalid body signature/);
    const bodyOnly = `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`;
    expect(reasonOf(await check({ ...headers, 'x-ct-signature': bodyOnly }))).toMatch(/^invalid body signature/);
  });

  it('refuses the same timestamp and signature twice within the window, then as stale once the window has passed', async () => {
    const { check, clock } = setup();
    const headers = signedAt(T0);
    expect((await check(headers)).ok).toBe(true);
    clock.ms = T0 + 299_000;
    expect(reasonOf(await check(headers))).toMatch(/^replayed request/);
    clock.ms = T0 + 301_000;
    expect(reasonOf(await check(headers))).toContain('is 301 s old');
    // A different body signed in the same second is a different request.
    expect(
      (
        await check(
          signedAt(clock.ms, '{"model":"churn","kind":"retrain"}'),
          Buffer.from('{"model":"churn","kind":"retrain"}'),
        )
      ).ok,
    ).toBe(true);
  });

  it('lets a released (undelivered) signed request through once more', async () => {
    const { auth, check } = setup();
    const headers = signedAt(T0);
    const first = await check(headers);
    await auth.release(first);
    expect((await check(headers)).ok).toBe(true);
    expect((await check(headers)).ok).toBe(false);
  });

  it('honours a configured tolerance', async () => {
    const { check } = setup({ hmacToleranceSeconds: 30 });
    expect((await check(signedAt(T0 - 30_000))).ok).toBe(true);
    expect(reasonOf(await check(signedAt(T0 - 31_000)))).toContain('is 31 s old; the tolerance is 30 s');
  });

  it('still accepts a bearer token without any timestamp, and never records it as a replay', async () => {
    const { check } = setup({ bearerToken: 'tok' });
    expect(await check({ authorization: 'Bearer tok' })).toEqual({ ok: true, method: 'bearer' });
    expect(await check({ authorization: 'Bearer tok' })).toEqual({ ok: true, method: 'bearer' });
  });
});

describe('ReplayGuard', () => {
  it('forgets claims whose timestamps have left the window, and never holds more than its cap', async () => {
    const clock = { ms: T0 };
    const claims = new MemoryAlertClaims(() => clock.ms, 3);
    const guard = new ReplayGuard(300, claims);
    const sec = T0 / 1000;
    for (const k of ['a', 'b', 'c']) expect(await guard.claim(k, sec)).toBe(true);
    expect(await guard.claim('a', sec)).toBe(false);
    expect(await guard.claim('d', sec)).toBe(true);
    expect(claims.size).toBe(3); // 'a', the oldest, made room
    clock.ms = T0 + 301_000;
    expect(await guard.claim('e', sec + 301)).toBe(true);
    expect(claims.size).toBe(1);
  });
});
