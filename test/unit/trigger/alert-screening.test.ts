import { describe, expect, it } from 'vitest';
import { TriggerPolicySchema } from '../../../src/domain/policies/trigger-policy.js';
import {
  decideTrigger,
  initialTriggerState,
  type ScreenContext,
  type Trigger,
  type TriggerOutcome,
  type TriggerState,
} from '../../../src/domain/trigger/index.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-22T00:00:00Z');
const PROMOTED = T0 - 10 * MIN;

const fresh = (): TriggerState =>
  initialTriggerState(TriggerPolicySchema.parse({ debounceMs: '5m', cooldownMs: 0, budget: { maxCycles: 5 } }));
const v2: ScreenContext = { champion: { version: 2, promotedAt: PROMOTED } };
const benignEvidence = { importantShare: 0.01, measuredDrop: 0.001, estimatedDrop: null };

const drift = (t: Partial<Trigger> = {}): Trigger => ({ kind: 'drift', score: 0.5, at: T0, ...t });
const perf = (t: Partial<Trigger> = {}): Trigger => ({ kind: 'performance', score: 0.05, at: T0, ...t });
const screened = (s: TriggerState, trigger: Trigger, screen: ScreenContext = v2, now = T0): TriggerOutcome =>
  decideTrigger(s, { type: 'trigger', trigger, screen }, now);

describe('stale alerts', () => {
  it('ignores an alert about a version that no longer serves, naming both versions', () => {
    const out = screened(fresh(), drift({ observedVersion: 1 }));
    expect(out.decision).toMatchObject({ action: 'ignore', cause: 'stale' });
    expect(out.decision.reason).toBe(
      'stale drift alert: it observed v1, which no longer serves (champion v2): ignored',
    );
    expect(out.state.pending).toBeNull();
    expect(out.state.counts).toMatchObject({ received: 1, ignored: 1, stale: 1, accepted: 0 });
  });
  it('ignores a performance alert raised before the champion was promoted', () => {
    const out = screened(fresh(), perf({ raisedAt: PROMOTED - MIN }));
    expect(out.decision.action).toBe('ignore');
    expect(out.decision.reason).toBe(
      'stale performance alert: raised 2026-11-21T23:49:00.000Z, before v2 was promoted at 2026-11-21T23:50:00.000Z: ignored',
    );
  });
  it('judges an alert that names its version by the version alone', () => {
    const out = screened(fresh(), perf({ observedVersion: 2, raisedAt: PROMOTED - MIN }));
    expect(out.decision.action).toBe('gather');
  });
  it('accepts an alert about the candidate serving beside the champion (canary)', () => {
    const out = screened(fresh(), perf({ observedVersion: 3 }), { ...v2, candidateVersion: 3 });
    expect(out.decision.action).toBe('gather');
  });
  it('accepts an alert about a version newer than the champion it knows (a candidate not reported yet)', () => {
    expect(screened(fresh(), perf({ observedVersion: 4 })).decision.action).toBe('gather');
  });
  it('accepts everything when the champion is unknown', () => {
    expect(screened(fresh(), perf({ observedVersion: 1 }), { champion: null }).decision.action).toBe('gather');
  });
  it('leaves manual and schedule triggers alone', () => {
    const manual = screened(fresh(), { kind: 'manual', at: T0, raisedAt: PROMOTED - MIN, observedVersion: 1 });
    expect(manual.decision.action).toBe('start');
  });
});

describe('harm-aware drift', () => {
  it('records drift without evidence of harm as benign, with the numbers, and starts nothing', () => {
    const out = screened(fresh(), drift({ observedVersion: 2, harm: benignEvidence }));
    expect(out.decision.action).toBe('benign');
    expect(out.decision.reason).toBe(
      "drift trigger about v2: benign drift: drifted features hold 1% of the champion's importance < 10%; measured drop 0.001 < 0.02; no estimate; no cycle",
    );
    expect(out.decision.harm).toEqual({ harmful: false, basis: 'benign', ...benignEvidence });
    expect(out.state.pending).toBeNull();
    expect(out.state.counts).toMatchObject({ received: 1, benign: 1, accepted: 0, ignored: 0 });
  });
  it('accepts drift in features that matter and keeps the verdict on the decision', () => {
    const out = screened(fresh(), drift({ harm: { ...benignEvidence, importantShare: 0.6 } }));
    expect(out.decision.action).toBe('gather');
    expect(out.decision.harm).toMatchObject({ harmful: true, basis: 'importance', importantShare: 0.6 });
  });
  it('accepts drift with a measured drop, or an estimated one', () => {
    expect(screened(fresh(), drift({ harm: { ...benignEvidence, measuredDrop: 0.04 } })).decision.harm?.basis).toBe(
      'measuredDrop',
    );
    expect(screened(fresh(), drift({ harm: { ...benignEvidence, estimatedDrop: 0.03 } })).decision.harm?.basis).toBe(
      'estimatedDrop',
    );
  });
  it('accepts drift without evidence (external alerts): harm cannot be ruled out', () => {
    const out = screened(fresh(), drift());
    expect(out.decision.action).toBe('gather');
    expect(out.decision.harm?.basis).toBe('importanceUnknown');
  });
  it('honours trigger.harm.enabled: false', () => {
    const s = initialTriggerState(TriggerPolicySchema.parse({ harm: { enabled: false } }));
    expect(screened(s, drift({ harm: benignEvidence })).decision.harm?.basis).toBe('disabled');
  });
  it('does not apply to performance triggers', () => {
    const out = screened(fresh(), perf({ observedVersion: 2 }));
    expect(out.decision.action).toBe('gather');
    expect(out.decision.harm).toBeUndefined();
  });
  it('without a screen context (histories before the rules) every alert above its floor counts', () => {
    const out = decideTrigger(
      fresh(),
      { type: 'trigger', trigger: drift({ observedVersion: 1, harm: benignEvidence }) },
      T0,
    );
    expect(out.decision.action).toBe('gather');
  });
});

describe('resolved alerts', () => {
  const withPending = () => {
    let s = screened(fresh(), perf({ observedVersion: 2, fingerprint: 'am-1' })).state;
    s = screened(s, drift({ observedVersion: 2, fingerprint: 'am-2', at: T0 + MIN })).state;
    return s;
  };
  it('retracts the pending triggers of the resolved alert and keeps the others', () => {
    const out = decideTrigger(withPending(), { type: 'retract', fingerprint: 'am-1' }, T0 + 2 * MIN);
    expect(out.decision.action).toBe('retract');
    expect(out.decision.reason).toBe(
      'alert am-1 resolved: 1 pending trigger retracted; 1 trigger (drift) max drift 0.5 still pending',
    );
    expect(out.state.pending).toMatchObject({ count: 1, kinds: ['drift'], gatherUntil: T0 + 6 * MIN });
    expect(out.state.counts.retracted).toBe(1);
  });
  it('leaves nothing pending when every trigger came from it', () => {
    const s = screened(fresh(), perf({ fingerprint: 'am-1' })).state;
    const out = decideTrigger(s, { type: 'retract', fingerprint: 'am-1' }, T0 + MIN);
    expect(out.decision.reason).toBe('alert am-1 resolved: 1 pending trigger retracted; nothing pending');
    expect(out.state.pending).toBeNull();
  });
  it('does not stop a cycle that already started for it', () => {
    const s = decideTrigger(
      fresh(),
      { type: 'trigger', trigger: { kind: 'manual', at: T0, fingerprint: 'am-1' } },
      T0,
    ).state;
    expect(s.running?.cycle).toBe(1);
    const out = decideTrigger(s, { type: 'retract', fingerprint: 'am-1' }, T0 + MIN);
    expect(out.decision).toMatchObject({ action: 'ignore' });
    expect(out.decision.reason).toBe(
      'alert am-1 resolved: no pending trigger came from it; cycle 1 already started for it and runs on',
    );
    expect(out.state.running?.cycle).toBe(1);
  });
  it('ignores an alert it never saw', () => {
    const out = decideTrigger(withPending(), { type: 'retract', fingerprint: 'other' }, T0 + MIN);
    expect(out.decision.reason).toBe('alert other resolved: no pending trigger came from it');
    expect(out.state.pending?.count).toBe(2);
  });
});

describe('pending alerts at a promotion', () => {
  it('drops pending alerts about the replaced champion and keeps a manual request', () => {
    let s = decideTrigger(fresh(), { type: 'trigger', trigger: { kind: 'manual', at: T0 } }, T0).state;
    s = screened(s, drift({ observedVersion: 1, at: T0 + MIN }), { champion: { version: 1 } }, T0 + MIN).state;
    s = screened(
      s,
      { kind: 'manual', at: T0 + 2 * MIN, requestedBy: 'ann' },
      { champion: { version: 1 } },
      T0 + 2 * MIN,
    ).state;
    expect(s.pending?.count).toBe(2);
    const after: ScreenContext = { champion: { version: 2, promotedAt: T0 + 3 * MIN } };
    const out = decideTrigger(s, { type: 'cycleFinished', cycle: 1, screen: after }, T0 + 3 * MIN);
    expect(out.decision.reason).toMatch(
      /^dropped 1 pending alert gone stale \(stale drift alert: it observed v1, which no longer serves \(champion v2\)\); starting cycle 2 for 1 trigger \(manual\)/,
    );
    expect(out.state.counts.stale).toBe(1);
  });
  it('drops a pending alert that names no version when it was raised before the promotion', () => {
    let s = decideTrigger(fresh(), { type: 'trigger', trigger: { kind: 'manual', at: T0 } }, T0).state;
    s = screened(s, perf({ at: T0 + MIN }), { champion: { version: 1 } }, T0 + MIN).state;
    const after: ScreenContext = { champion: { version: 2, promotedAt: T0 + 3 * MIN } };
    const out = decideTrigger(s, { type: 'cycleFinished', cycle: 1, screen: after }, T0 + 3 * MIN);
    expect(out.state.pending).toBeNull();
    expect(out.decision.action).toBe('idle');
    expect(out.decision.reason).toMatch(/^dropped 1 pending alert gone stale .*; nothing pending$/);
  });
});
