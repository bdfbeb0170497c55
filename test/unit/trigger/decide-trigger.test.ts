import { describe, expect, it } from 'vitest';
import { TriggerPolicySchema, type TriggerPolicyInput } from '../../../src/domain/policies/trigger-policy.js';
import {
  decideTrigger,
  initialTriggerState,
  nextWakeAt,
  type Trigger,
  type TriggerEvent,
  type TriggerOutcome,
  type TriggerState,
} from '../../../src/domain/trigger/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-11-22T00:00:00Z');

function state(policy: TriggerPolicyInput = {}): TriggerState {
  return initialTriggerState(
    TriggerPolicySchema.parse({
      debounceMs: '5m',
      cooldownMs: '1h',
      budget: { maxCycles: 3, windowMs: '24h' },
      ...policy,
    }),
  );
}
const drift = (at: number, score = 0.8): TriggerEvent => ({
  type: 'trigger',
  trigger: { kind: 'drift', score, at, source: 'monitor' },
});
const trig = (t: Trigger): TriggerEvent => ({ type: 'trigger', trigger: t });
const tick: TriggerEvent = { type: 'tick' };

/** Feeds events in order at the given times, returning every outcome. */
function run(s: TriggerState, steps: [TriggerEvent, number][]): TriggerOutcome[] {
  const outs: TriggerOutcome[] = [];
  let cur = s;
  for (const [e, now] of steps) {
    const out = decideTrigger(cur, e, now);
    outs.push(out);
    cur = out.state;
  }
  return outs;
}
const last = (outs: TriggerOutcome[]) => outs[outs.length - 1]!;

describe('floors', () => {
  it('ignores a drift alert below the severity floor and says so', () => {
    const out = decideTrigger(state({ floors: { drift: 0.5 } }), drift(T0, 0.2), T0);
    expect(out.decision.action).toBe('ignore');
    expect(out.decision.reason).toContain('drift severity 0.2 is below the floor 0.5');
    expect(out.state.pending).toBeNull();
    expect(out.state.counts).toEqual({ received: 1, ignored: 1, accepted: 0 });
  });
  it('applies the floor per kind: performance degradation and new rows', () => {
    const s = state({ floors: { performance: 0.05, newData: 500 } });
    expect(decideTrigger(s, trig({ kind: 'performance', score: 0.01, at: T0 }), T0).decision.action).toBe('ignore');
    expect(decideTrigger(s, trig({ kind: 'performance', score: 0.05, at: T0 }), T0).decision.action).toBe('gather');
    expect(decideTrigger(s, trig({ kind: 'newData', score: 499, at: T0 }), T0).decision.reason).toContain(
      'new rows 499',
    );
    expect(decideTrigger(s, trig({ kind: 'newData', score: 500, at: T0 }), T0).decision.action).toBe('gather');
  });
  it('never floors schedule or manual triggers', () => {
    expect(decideTrigger(state(), trig({ kind: 'schedule', at: T0 }), T0).decision.action).toBe('start');
    expect(decideTrigger(state(), trig({ kind: 'manual', at: T0, score: 0 }), T0).decision.action).toBe('start');
  });
});

describe('debounce', () => {
  it('gathers alerts for the window, then starts one cycle with all of them', () => {
    const outs = run(state(), [
      [drift(T0, 0.6), T0],
      [drift(T0 + MIN, 0.9), T0 + MIN],
      [trig({ kind: 'performance', score: 0.1, at: T0 + 2 * MIN }), T0 + 2 * MIN],
      [tick, T0 + 4 * MIN],
      [tick, T0 + 5 * MIN],
    ]);
    expect(outs[0]!.decision).toMatchObject({ action: 'gather', cause: 'debounce', until: T0 + 5 * MIN });
    expect(outs[0]!.decision.reason).toContain('debounce 5m');
    expect(outs[2]!.decision.until).toBe(T0 + 5 * MIN); // the window does not slide
    expect(outs[3]!.decision.action).toBe('gather');
    const start = outs[4]!.decision;
    expect(start).toMatchObject({ action: 'start', cycle: 1 });
    expect(start.batch).toMatchObject({
      count: 3,
      primary: 'drift',
      kinds: ['drift', 'performance'],
      maxScore: { drift: 0.9, performance: 0.1 },
    });
    expect(outs[4]!.state.pending).toBeNull();
    expect(outs[4]!.state.running).toMatchObject({ cycle: 1, startedAt: T0 + 5 * MIN, batch: { count: 3 } });
  });
  it('a schedule or manual trigger joining a gathering batch starts it at once', () => {
    const outs = run(state(), [
      [drift(T0), T0],
      [trig({ kind: 'schedule', at: T0 + MIN, source: 'nightly' }), T0 + MIN],
    ]);
    expect(last(outs).decision).toMatchObject({ action: 'start', cycle: 1 });
    expect(last(outs).decision.batch?.count).toBe(2);
  });
  it('nextWakeAt is the end of the window while gathering', () => {
    const out = decideTrigger(state(), drift(T0), T0);
    expect(nextWakeAt(out.state, out.decision)).toBe(T0 + 5 * MIN);
  });
  it('a zero debounce starts the first alert immediately', () => {
    expect(decideTrigger(state({ debounceMs: 0 }), drift(T0), T0).decision.action).toBe('start');
  });
});

describe('coalescing while a cycle runs', () => {
  it('any number of triggers during a cycle become exactly one follow-up cycle', () => {
    const s = state({ debounceMs: 0, cooldownMs: 0 });
    const steps: [TriggerEvent, number][] = [[drift(T0), T0]];
    for (let i = 1; i <= 50; i++) steps.push([drift(T0 + i * 1000, 0.5 + (i % 5) / 10), T0 + i * 1000]);
    steps.push([{ type: 'cycleFinished', cycle: 1 }, T0 + HOUR]);
    steps.push([tick, T0 + HOUR + 1]);
    const outs = run(s, steps);
    expect(outs[0]!.decision.action).toBe('start');
    const during = outs.slice(1, 51);
    expect(during.every((o) => o.decision.action === 'coalesce')).toBe(true);
    expect(during[0]!.decision.reason).toContain('cycle 1 running');
    const follow = outs[51]!.decision;
    expect(follow).toMatchObject({ action: 'start', cycle: 2 });
    expect(follow.batch?.count).toBe(50);
    expect(outs[52]!.decision.action).toBe('idle'); // and no third cycle
    expect(outs[52]!.state.counts).toEqual({ received: 51, ignored: 0, accepted: 51 });
  });
  it('a finished notice for another cycle does not end the running one', () => {
    const outs = run(state({ debounceMs: 0 }), [
      [drift(T0), T0],
      [{ type: 'cycleFinished', cycle: 7 }, T0 + MIN],
    ]);
    expect(last(outs).state.running?.cycle).toBe(1);
  });
});

describe('cooldown', () => {
  it('defers non-manual triggers until the cooldown ends, then acts on them', () => {
    const outs = run(state({ debounceMs: 0, cooldownMs: '1h' }), [
      [drift(T0), T0],
      [{ type: 'cycleFinished', cycle: 1 }, T0 + 10 * MIN],
      [drift(T0 + 20 * MIN), T0 + 20 * MIN],
      [tick, T0 + 69 * MIN],
      [tick, T0 + 70 * MIN],
    ]);
    const deferred = outs[2]!.decision;
    expect(deferred).toMatchObject({ action: 'defer', cause: 'cooldown', until: T0 + 70 * MIN });
    expect(deferred.reason).toContain('cooldown of 1h');
    expect(deferred.reason).toContain(new Date(T0 + 70 * MIN).toISOString());
    expect(nextWakeAt(outs[2]!.state, deferred)).toBe(T0 + 70 * MIN);
    expect(outs[3]!.decision.action).toBe('defer');
    expect(outs[4]!.decision).toMatchObject({ action: 'start', cycle: 2 });
  });
  it('a manual trigger is not held by the cooldown', () => {
    const outs = run(state({ debounceMs: 0 }), [
      [drift(T0), T0],
      [{ type: 'cycleFinished', cycle: 1 }, T0 + MIN],
      [trig({ kind: 'manual', at: T0 + 2 * MIN, requestedBy: 'ana' }), T0 + 2 * MIN],
    ]);
    expect(last(outs).decision).toMatchObject({ action: 'start', cycle: 2 });
    expect(last(outs).decision.batch?.requestedBy).toBe('ana');
  });
  it('a follow-up coalesced during a cycle waits out the cooldown too', () => {
    const outs = run(state({ debounceMs: 0, cooldownMs: '30m' }), [
      [drift(T0), T0],
      [drift(T0 + MIN), T0 + MIN],
      [{ type: 'cycleFinished', cycle: 1 }, T0 + 10 * MIN],
    ]);
    expect(last(outs).decision).toMatchObject({ action: 'defer', cause: 'cooldown', until: T0 + 40 * MIN });
  });
});

describe('retrain budget', () => {
  const fin = (cycle: number, at: number): [TriggerEvent, number] => [{ type: 'cycleFinished', cycle }, at];
  it('defers when the budget is used and says when a slot frees', () => {
    const outs = run(state({ debounceMs: 0, cooldownMs: 0, budget: { maxCycles: 2, windowMs: '24h' } }), [
      [drift(T0), T0],
      fin(1, T0 + HOUR),
      [drift(T0 + 2 * HOUR), T0 + 2 * HOUR],
      fin(2, T0 + 3 * HOUR),
      [drift(T0 + 4 * HOUR), T0 + 4 * HOUR],
      [tick, T0 + 24 * HOUR - 1],
      [tick, T0 + 24 * HOUR],
    ]);
    const d = outs[4]!.decision;
    expect(d).toMatchObject({ action: 'defer', cause: 'budget', until: T0 + 24 * HOUR });
    expect(d.reason).toContain('retrain budget of 2 cycles per 1d used up');
    expect(d.reason).toContain(new Date(T0 + 24 * HOUR).toISOString());
    expect(outs[5]!.decision.action).toBe('defer');
    expect(outs[6]!.decision).toMatchObject({ action: 'start', cycle: 3 });
    expect(outs[6]!.state.recentStarts).toEqual([T0 + 2 * HOUR, T0 + 24 * HOUR]);
  });
  it('applies to manual triggers that are not forced', () => {
    const outs = run(state({ debounceMs: 0, cooldownMs: 0, budget: { maxCycles: 1, windowMs: '1h' } }), [
      [drift(T0), T0],
      fin(1, T0 + MIN),
      [trig({ kind: 'manual', at: T0 + 2 * MIN }), T0 + 2 * MIN],
    ]);
    expect(last(outs).decision).toMatchObject({ action: 'defer', cause: 'budget', until: T0 + HOUR });
  });
});

describe('manual force', () => {
  it('overrides both cooldown and budget, and the reason says so', () => {
    const outs = run(state({ debounceMs: 0, cooldownMs: '6h', budget: { maxCycles: 1, windowMs: '24h' } }), [
      [drift(T0), T0],
      fin(1, T0 + MIN),
      [drift(T0 + 2 * MIN), T0 + 2 * MIN],
      [trig({ kind: 'manual', at: T0 + 3 * MIN, force: true, requestedBy: 'oncall' }), T0 + 3 * MIN],
    ]);
    expect(outs[2]!.decision.action).toBe('defer');
    const d = last(outs).decision;
    expect(d).toMatchObject({ action: 'start', cycle: 2 });
    expect(d.reason).toContain('forced: cooldown and budget skipped');
    expect(d.batch).toMatchObject({ count: 2, primary: 'manual', force: true });
  });
  it('does not start a second cycle while one runs', () => {
    const outs = run(state({ debounceMs: 0 }), [
      [drift(T0), T0],
      [trig({ kind: 'manual', at: T0 + MIN, force: true }), T0 + MIN],
    ]);
    expect(last(outs).decision.action).toBe('coalesce');
  });
  function fin(cycle: number, at: number): [TriggerEvent, number] {
    return [{ type: 'cycleFinished', cycle }, at];
  }
});

describe('pause and resume', () => {
  it('records triggers while paused and acts on them at resume', () => {
    const outs = run(state({ debounceMs: 0 }), [
      [{ type: 'pause', by: 'ana', reason: 'incident' }, T0],
      [drift(T0 + MIN), T0 + MIN],
      [trig({ kind: 'manual', at: T0 + 2 * MIN, force: true }), T0 + 2 * MIN],
      [tick, T0 + HOUR],
      [{ type: 'resume', by: 'ana' }, T0 + 2 * HOUR],
    ]);
    expect(outs[0]!.decision.reason).toContain('paused by ana (incident)');
    expect(outs[1]!.decision.action).toBe('hold');
    expect(outs[1]!.decision.reason).toContain('acted on at resume');
    expect(outs[2]!.decision.action).toBe('hold'); // even force waits for resume
    expect(nextWakeAt(outs[3]!.state, outs[3]!.decision)).toBeNull();
    expect(last(outs).decision).toMatchObject({ action: 'start', cycle: 1 });
    expect(last(outs).decision.reason).toContain('resumed by ana');
    expect(last(outs).decision.batch?.count).toBe(2);
  });
  it('still ignores alerts below the floor while paused', () => {
    const outs = run(state(), [
      [{ type: 'pause' }, T0],
      [drift(T0, 0.01), T0],
    ]);
    expect(last(outs).decision.action).toBe('ignore');
  });
});

describe('policy updates', () => {
  it('a shorter cooldown takes effect for a deferred batch', () => {
    const outs = run(state({ debounceMs: 0, cooldownMs: '6h' }), [
      [drift(T0), T0],
      [{ type: 'cycleFinished', cycle: 1 }, T0 + MIN],
      [drift(T0 + 2 * MIN), T0 + 2 * MIN],
      [{ type: 'policyUpdated', policy: TriggerPolicySchema.parse({ debounceMs: 0, cooldownMs: '1m' }) }, T0 + 3 * MIN],
    ]);
    expect(outs[2]!.decision.action).toBe('defer');
    expect(last(outs).decision).toMatchObject({ action: 'start', cycle: 2 });
  });
});

describe('state stays plain JSON', () => {
  it('survives a JSON round trip (continue-as-new) with the same decisions', () => {
    const s1 = run(state(), [
      [drift(T0), T0],
      [drift(T0 + MIN), T0 + MIN],
    ]);
    const copy = JSON.parse(JSON.stringify(last(s1).state)) as TriggerState;
    expect(copy).toEqual(last(s1).state);
    expect(decideTrigger(copy, tick, T0 + 5 * MIN).decision).toMatchObject({ action: 'start', cycle: 1 });
  });
  it('keeps a bounded sample list however many triggers arrive', () => {
    const steps: [TriggerEvent, number][] = Array.from({ length: 500 }, (_, i) => [drift(T0 + i, 0.9), T0 + i]);
    const out = last(run(state({ debounceMs: '1h' }), steps));
    expect(out.state.pending?.count).toBe(500);
    expect(out.state.pending?.samples.length).toBe(10);
  });
});
