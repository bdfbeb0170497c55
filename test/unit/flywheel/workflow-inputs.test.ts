import { describe, expect, it } from 'vitest';
import {
  CycleInputSchema,
  MonitorInputShapeSchema,
  RolloutInputSchema,
  ScheduledRetrainInputSchema,
} from '../../../src/domain/flywheel/workflow-inputs.js';
import { describePayloadError } from '../../../src/domain/signals.js';

const refusal = (r: { success: boolean; error?: Parameters<typeof describePayloadError>[0] }) =>
  r.success ? '' : describePayloadError(r.error!);

describe('start inputs of the workflows a person can start by hand', () => {
  it('refuse null and name each bad field', () => {
    for (const schema of [CycleInputSchema, RolloutInputSchema, ScheduledRetrainInputSchema, MonitorInputShapeSchema]) {
      expect(refusal(schema.safeParse(null))).toBe('(payload): Expected object, received null');
    }
    expect(
      refusal(
        RolloutInputSchema.safeParse({
          modelId: 'm',
          candidateVersion: 0,
          championVersion: null,
          policy: { strategy: 'direct' },
        }),
      ),
    ).toMatch(/^candidateVersion: /);
    expect(refusal(CycleInputSchema.safeParse({ modelId: 'm', cycle: 1, spec: {}, trigger: {} }))).toMatch(
      /spec\.id: Required/,
    );
  });

  it('refuse a monitor state no run carried, which would crash the monitor at its first check', () => {
    expect(refusal(MonitorInputShapeSchema.safeParse({ modelId: 'm', carried: 'x' }))).toBe(
      'carried: Expected object, received string',
    );
    expect(
      MonitorInputShapeSchema.safeParse({
        modelId: 'm',
        carried: {
          checks: 1,
          lastSignals: {},
          signalsSent: { driftAlert: 0, performanceReport: 0 },
          recent: [],
          failures: 0,
        },
      }).success,
    ).toBe(true);
  });

  it('keep fields a newer caller adds', () => {
    const parsed = RolloutInputSchema.parse({
      modelId: 'm',
      candidateVersion: 2,
      championVersion: 1,
      policy: { strategy: 'direct' },
      extra: { kept: true },
    });
    expect(parsed).toMatchObject({ extra: { kept: true }, policy: { strategy: 'direct' } });
  });
});
