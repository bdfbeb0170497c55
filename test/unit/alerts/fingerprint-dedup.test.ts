import { describe, expect, it } from 'vitest';
import { AlertmanagerPayloadSchema } from '../../../src/alerts/alertmanager-schema.js';
import { FingerprintDedup } from '../../../src/alerts/fingerprint-dedup.js';
import { alertsFromAlertmanager } from '../../../src/alerts/from-alertmanager.js';
import { alertmanagerFixture } from '../../fixtures/alertmanager/refused-payloads.js';

describe('fingerprint dedup', () => {
  it('suppresses a fingerprint within the TTL and lets it through once the TTL has passed', () => {
    let now = 1_000;
    const dedup = new FingerprintDedup(60_000, () => now);
    expect(dedup.isDuplicate('a')).toBe(false);
    dedup.record('a');
    now += 59_999;
    expect(dedup.isDuplicate('a')).toBe(true);
    now += 1;
    expect(dedup.isDuplicate('a')).toBe(false);
  });

  it('stays bounded under a flood of distinct fingerprints, forgetting the oldest first', () => {
    let now = 0;
    // TTL far longer than the test: only the size cap can make it forget.
    const dedup = new FingerprintDedup(1e9, () => now, 100);
    for (let i = 0; i < 1_000; i++) {
      now += 1;
      dedup.record(`f${i}`);
    }
    expect(dedup.isDuplicate('f999')).toBe(true);
    expect(dedup.isDuplicate('f900')).toBe(true);
    expect(dedup.isDuplicate('f0')).toBe(false);
    expect(dedup.isDuplicate('f898')).toBe(false);
  });
});

describe('Alertmanager alerts → flywheel alerts', () => {
  const payload = AlertmanagerPayloadSchema.parse(JSON.parse(alertmanagerFixture));

  it('keeps firing alerts only, with model, score, reason and source from labels and annotations', () => {
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
        receivedAtMs: 42,
        index: 1,
        fields: expect.objectContaining({ score: 'alerts[1].annotations.score' }),
      },
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
