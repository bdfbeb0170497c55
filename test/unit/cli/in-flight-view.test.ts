import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../../src/cli/format/status-view.js';
import type { InFlightDetail } from '../../../src/cli/in-flight-detail.js';
import { Flywheel } from '../../../src/domain/flywheel/flywheel-state.js';
import type { ModelSpec } from '../../../src/domain/model-spec/model-spec.js';
import { DEFAULT_TRIGGER_POLICY } from '../../../src/domain/policies/trigger-policy.js';

const T0 = Date.parse('2026-11-22T00:00:00Z');
const spec = { id: 'm', trigger: { ...DEFAULT_TRIGGER_POLICY, debounceMs: 0, cooldownMs: 0 } } as unknown as ModelSpec;
const line = (text: string, label: string) => text.split('\n').find((l) => l.startsWith(`${label}:`)) ?? '';

function cycleAt(step: 'snapshot' | 'rollout') {
  const fw = Flywheel.create('m', spec, DEFAULT_TRIGGER_POLICY);
  fw.apply({ type: 'trigger', trigger: { kind: 'drift', score: 0.9, at: T0 } }, T0);
  fw.cycleStarted(1, 'flywheel:m:cycle:1', fw.triggerState.running!.batch, T0);
  fw.cycleProgress(1, step);
  return fw.status();
}

describe('flywheel status: what the cycle in flight is doing now', () => {
  it('shows the canary weight, the bake time left and the extensions with their reason', () => {
    const phase = 'canary 10% for 30m';
    const detail: InFlightDetail = {
      pendingActivities: [],
      rollout: {
        phase,
        paused: false,
        rejectedInputs: 0,
        steps: [
          {
            phase,
            action: 'extend',
            reason: `${phase}: only 40 predictions after 30m (need 100): extending the bake by 30m (extension 1 of 3)`,
            at: T0,
          },
        ],
        bake: {
          phase,
          kind: 'traffic',
          weight: 0.1,
          startedAt: T0 - 30 * 60_000,
          endsAt: T0 + 12.5 * 60_000,
          extensions: 1,
          maxExtensions: 3,
        },
      },
    };
    const text = renderStatus(cycleAt('rollout'), {}, T0, detail);
    expect(line(text, 'rollout')).toMatch(
      /canary 10% for 30m: candidate takes 10% of live traffic, bake ends in 12m30s \(2026-11-22T00:12:30Z\)$/,
    );
    expect(line(text, 'extensions')).toMatch(/1 of 3; last: canary 10% for 30m: only 40 predictions after 30m/);
  });

  it("shows a failing step's attempt count and last error, and when it tries again", () => {
    const detail: InFlightDetail = {
      pendingActivities: [
        {
          workflowId: 'flywheel:m:cycle:1',
          activity: 'snapshotData',
          state: 'SCHEDULED',
          attempt: 5,
          maximumAttempts: 0,
          lastFailure: 'ENOENT: no such file or directory, open /data/fraud.csv',
          nextAttemptAt: T0 + 8_000,
        },
      ],
    };
    const text = renderStatus(cycleAt('snapshot'), {}, T0, detail);
    expect(line(text, 'failing')).toMatch(
      /snapshotData attempt 5, last error: ENOENT: no such file or directory, open \/data\/fraud.csv; next attempt in 8s$/,
    );
    expect(line(text, 'rollout')).toBe('');
  });
});
