import { describe, expect, it } from 'vitest';
import { AlertmanagerPayloadSchema } from '../../../src/alerts/alertmanager-schema.js';
import { FingerprintDedup } from '../../../src/alerts/fingerprint-dedup.js';
import { MemoryAlertClaims } from '../../../src/alerts/memory-alert-claims.js';
import { alertsFromAlertmanager } from '../../../src/alerts/from-alertmanager.js';
import { toFlywheelSignal } from '../../../src/alerts/signal-payload.js';
import { alertResolvedSignal } from '../../../src/contracts/model-flywheel.js';
import { alertmanagerFixture } from '../../fixtures/alertmanager/refused-payloads.js';

describe('fingerprint dedup', () => {
  it('holds a claimed episode for a delivery lease, then for the TTL once delivered, and frees it after', async () => {
    let now = 1_000;
    const dedup = new FingerprintDedup(new MemoryAlertClaims(() => now), 3_600_000, () => now);
    expect(await dedup.claim('a')).toBe(true);
    expect(await dedup.claim('a')).toBe(false); // being delivered by someone else
    now += 30_000;
    expect(await dedup.claim('a')).toBe(true); // the claimer died before signalling: the lease ran out
    await dedup.delivered('a');
    now += 3_599_999;
    expect(await dedup.claim('a')).toBe(false);
    now += 1;
    expect(await dedup.claim('a')).toBe(true);
  });

  it('lets a released (undelivered) episode be claimed again at once', async () => {
    const dedup = new FingerprintDedup(new MemoryAlertClaims(), 3_600_000);
    expect(await dedup.claim('b')).toBe(true);
    await dedup.release('b');
    expect(await dedup.claim('b')).toBe(true);
  });

  it('stays bounded under a flood of distinct fingerprints, forgetting the oldest first', async () => {
    let now = 0;
    // TTL far longer than the test: only the size cap can make it forget.
    const dedup = new FingerprintDedup(new MemoryAlertClaims(() => now, 100), 1e9, () => now);
    for (let i = 0; i < 1_000; i++) {
      now += 1;
      await dedup.claim(`f${i}`);
    }
    expect(await dedup.claim('f999')).toBe(false);
    expect(await dedup.claim('f900')).toBe(false);
    expect(await dedup.claim('f0')).toBe(true);
  });
});

describe('Alertmanager alerts → flywheel alerts', () => {
  const payload = AlertmanagerPayloadSchema.parse(JSON.parse(alertmanagerFixture));

  it('turns firing alerts into triggers (model, score, reason and source from labels and annotations) and resolved ones into retractions', () => {
    const { alerts, rejected } = alertsFromAlertmanager(payload, 42);
    expect(rejected).toEqual([]);
    expect(alerts).toEqual([
      {
        modelId: 'churn',
        kind: 'drift',
        severity: 'warning',
        score: 0.31,
        reason: 'Feature drift on churn: tenure_months PSI 0.31',
        source: 'alertmanager:ModelFeatureDrift',
        fingerprint: '5f2b9c0e7d1a4c33',
        startsAt: '2026-11-22T09:41:15.381Z',
        receivedAtMs: 42,
        index: 0,
        fields: expect.objectContaining({
          score: 'alerts[0].annotations.score',
          reason: 'alerts[0].annotations.summary',
        }),
      },
      {
        modelId: 'churn',
        kind: 'drift',
        severity: 'warning',
        score: 0.27,
        reason: 'Feature drift on churn: monthly_charges PSI 0.27',
        source: 'alertmanager:ModelFeatureDrift',
        fingerprint: 'a90c31d4e8b2f617',
        startsAt: '2026-11-22T09:42:45.112Z',
        receivedAtMs: 42,
        index: 1,
        fields: expect.objectContaining({ score: 'alerts[1].annotations.score' }),
      },
      {
        modelId: 'churn',
        kind: 'drift',
        resolved: true,
        source: 'alertmanager:ModelFeatureDrift',
        fingerprint: '0d77e5a1c2b94f08',
        startsAt: '2026-11-22T08:12:05.000Z',
        receivedAtMs: 42,
        index: 2,
        fields: { fingerprint: 'alerts[2].fingerprint' },
      },
    ]);
    expect(toFlywheelSignal(alerts[2]!)).toEqual({
      ok: true,
      signal: alertResolvedSignal,
      payload: {
        fingerprint: '0d77e5a1c2b94f08',
        source: 'alertmanager:ModelFeatureDrift',
        at: '1970-01-01T00:00:00.042Z',
      },
    });
  });

  it('reads the observed version from labels.model_version (or labels.version) and refuses one that is not a version', () => {
    const copy = structuredClone(payload) as typeof payload & { alerts: Array<{ labels: Record<string, string> }> };
    copy.alerts[0]!.labels.model_version = 'v3';
    copy.alerts[1]!.labels.version = 'latest';
    const { alerts, rejected } = alertsFromAlertmanager(copy, 0);
    expect(alerts[0]?.observedVersion).toBe(3);
    const signal = toFlywheelSignal(alerts[0]!);
    expect(signal.ok && signal.payload.observedVersion).toBe(3);
    expect(rejected).toEqual([
      expect.objectContaining({
        field: 'alerts[1].labels.version',
        reason: 'alerts[1].labels.version: must be a model version number ≥ 1 (e.g. "3" or "v3"), got "latest"',
      }),
    ]);
  });

  it('caps drift scores at 1, routes labels.kind to other signals, and fingerprints label sets when Alertmanager did not', () => {
    const copy = structuredClone(payload) as typeof payload & {
      alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string>; fingerprint?: string }>;
    };
    copy.alerts[0]!.annotations.score = '1.7';
    copy.alerts[1]!.labels.kind = 'performance';
    copy.alerts[1]!.annotations.score = '0.04';
    delete copy.alerts[1]!.fingerprint;
    const [drift, perf] = alertsFromAlertmanager(copy, 0).alerts;
    expect(drift?.score).toBe(1);
    expect(perf).toMatchObject({
      kind: 'performance',
      score: 0.04,
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const again = alertsFromAlertmanager(structuredClone(copy), 0).alerts[1];
    expect(again?.fingerprint).toBe(perf?.fingerprint);
  });
});
