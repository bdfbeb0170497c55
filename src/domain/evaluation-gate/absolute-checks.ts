import { metricDirection, type GateMetric } from '../policies/gate-policy.js';
import type { GateReason } from './gate-result.js';
import type { GateInput } from './gate-input.js';
import { EPSILON, fmt, reason } from './reason.js';

/** Checks that hold for every model, first or not: floors, fairness, size, latency. */

export function floorChecks(input: GateInput): GateReason[] {
  const floors = Object.entries(input.policy.absoluteFloors) as [GateMetric, number][];
  return floors.map(([metric, floor]) => {
    const observed = input.challenger[metric];
    if (observed === undefined || !Number.isFinite(observed)) {
      return reason(
        'absolute_floor',
        'failed',
        `${metric} was not computed for the challenger, so its floor ${fmt(floor)} cannot be checked`,
        null,
        floor,
        metric,
      );
    }
    const higher = metricDirection[metric] === 'higherIsBetter';
    const ok = higher ? observed >= floor - EPSILON : observed <= floor + EPSILON;
    const bound = higher ? 'at least' : 'at most';
    return reason(
      'absolute_floor',
      ok ? 'passed' : 'failed',
      `${metric} is ${fmt(observed)}; the policy requires ${bound} ${fmt(floor)}`,
      observed,
      floor,
      metric,
    );
  });
}

export function fairnessChecks(input: GateInput): GateReason[] {
  const out: GateReason[] = [];
  for (const limit of input.policy.fairness) {
    const ev = input.fairness?.find((f) => f.groupColumn === limit.groupColumn);
    const pairs = [
      [
        'demographic_parity',
        'demographic parity difference',
        limit.maxDemographicParityDiff,
        ev?.demographicParityDiff,
      ],
      ['equal_opportunity', 'equal opportunity difference', limit.maxEqualOpportunityDiff, ev?.equalOpportunityDiff],
    ] as const;
    for (const [code, label, max, observed] of pairs) {
      if (max === undefined) continue;
      if (observed === undefined || !Number.isFinite(observed)) {
        out.push(
          reason(
            code,
            'failed',
            `${label} across ${limit.groupColumn} was not computed; the policy limits it to ${fmt(max)}`,
            null,
            max,
            limit.groupColumn,
          ),
        );
        continue;
      }
      const ok = observed <= max + EPSILON;
      out.push(
        reason(
          code,
          ok ? 'passed' : 'failed',
          `${label} across ${limit.groupColumn} is ${fmt(observed)}; the policy allows at most ${fmt(max)}`,
          observed,
          max,
          limit.groupColumn,
        ),
      );
    }
  }
  return out;
}

export function sizeCheck(input: GateInput): GateReason {
  const max = input.policy.maxModelSizeBytes;
  const ok = input.sizeBytes <= max;
  return reason(
    'model_size',
    ok ? 'passed' : 'failed',
    `model artifact is ${input.sizeBytes} bytes; the policy allows at most ${max}`,
    input.sizeBytes,
    max,
  );
}

export function latencyCheck(input: GateInput): GateReason {
  const max = input.policy.maxPredictionLatencyP95Ms;
  const observed = input.latencyP95Ms;
  if (!Number.isFinite(observed)) {
    return reason(
      'prediction_latency',
      'failed',
      `p95 prediction latency was not measured; the policy allows at most ${fmt(max)} ms`,
      null,
      max,
    );
  }
  const ok = observed <= max;
  return reason(
    'prediction_latency',
    ok ? 'passed' : 'failed',
    `p95 prediction latency is ${fmt(observed)} ms; the policy allows at most ${fmt(max)} ms`,
    observed,
    max,
  );
}
