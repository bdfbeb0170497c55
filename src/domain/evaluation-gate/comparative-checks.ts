import { metricGain, type GateMetric } from '../policies/gate-policy.js';
import type { GateReason } from './gate-result.js';
import type { GateInput, MetricValues } from './gate-input.js';
import { EPSILON, fmt, reason } from './reason.js';

/** Checks that compare the challenger with the champion; all `skipped` for a first model. */

const finite = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x);

/** Why there is nothing to compare with: a first model, or a champion that cannot be served. */
export function noChampion(input: GateInput): string {
  const u = input.championUnservable;
  return u ? `champion v${u.version} cannot be served (${u.kind})` : 'no champion yet';
}

export function improvementCheck(input: GateInput, champion: MetricValues | null): GateReason {
  const { primaryMetric: metric, minImprovement } = input.policy;
  if (!champion) {
    return reason(
      'primary_improvement',
      'skipped',
      `${noChampion(input)}: ${metric} improvement is not required${input.championUnservable ? '' : ' of the first model'}`,
      null,
      minImprovement,
      metric,
    );
  }
  const ch = input.challenger[metric];
  const cp = champion[metric];
  if (!finite(ch) || !finite(cp)) {
    return reason(
      'primary_improvement',
      'failed',
      `${metric} is missing for the ${finite(ch) ? 'champion' : 'challenger'}; cannot judge the improvement`,
      null,
      minImprovement,
      metric,
    );
  }
  const gain = metricGain(metric, ch, cp);
  const ok = gain >= minImprovement - EPSILON;
  const verb = gain >= 0 ? 'improved by' : 'got worse by';
  return reason(
    'primary_improvement',
    ok ? 'passed' : 'failed',
    `${metric} ${verb} ${fmt(Math.abs(gain))} (challenger ${fmt(ch)} vs champion ${fmt(cp)}); the policy requires an improvement of at least ${fmt(minImprovement)}`,
    gain,
    minImprovement,
    metric,
  );
}

export function significanceCheck(input: GateInput, champion: MetricValues | null): GateReason {
  const { test, alpha } = input.policy.significance;
  const metric = input.policy.primaryMetric;
  if (test === 'none') {
    return reason(
      'significance',
      'skipped',
      'no significance test is configured (significance.test = none)',
      null,
      alpha,
      metric,
    );
  }
  if (!champion) {
    return reason(
      'significance',
      'skipped',
      `${noChampion(input)}: the ${test} test needs one to compare with`,
      null,
      alpha,
      metric,
    );
  }
  const sig = input.significance;
  if (!sig) {
    return reason(
      'significance',
      'failed',
      `the ${test} test was not run; the policy requires p < ${fmt(alpha)}`,
      null,
      alpha,
      metric,
    );
  }
  if (sig.test !== test) {
    return reason(
      'significance',
      'failed',
      `the policy asks for ${test} but the evaluation ran ${sig.test}`,
      sig.pValue,
      alpha,
      metric,
    );
  }
  const ok = sig.pValue < alpha;
  const ci =
    sig.ciLow !== undefined && sig.ciHigh !== undefined
      ? `, 95% CI of the gain [${fmt(sig.ciLow)}, ${fmt(sig.ciHigh)}]`
      : '';
  return reason(
    'significance',
    ok ? 'passed' : 'failed',
    `${test} one-sided p-value for a ${metric} improvement is ${fmt(sig.pValue)}${ci}; the policy requires p < ${fmt(alpha)}`,
    sig.pValue,
    alpha,
    metric,
  );
}

export function guardChecks(input: GateInput, champion: MetricValues | null): GateReason[] {
  return input.policy.guards.map(({ metric, tolerance }) => {
    if (!champion) {
      return reason(
        'guard_metric',
        'skipped',
        `${noChampion(input)}: guard on ${metric} does not apply`,
        null,
        tolerance,
        metric,
      );
    }
    const ch = input.challenger[metric];
    const cp = champion[metric];
    if (!finite(ch) || !finite(cp)) {
      return reason(
        'guard_metric',
        'failed',
        `guard metric ${metric} is missing for the ${finite(ch) ? 'champion' : 'challenger'}`,
        null,
        tolerance,
        metric,
      );
    }
    const degradation = -metricGain(metric as GateMetric, ch, cp);
    const ok = degradation <= tolerance + EPSILON;
    const how = degradation > 0 ? `is worse by ${fmt(degradation)}` : `is not worse (better by ${fmt(-degradation)})`;
    return reason(
      'guard_metric',
      ok ? 'passed' : 'failed',
      `guard ${metric}: challenger ${fmt(ch)} vs champion ${fmt(cp)} ${how}; the policy tolerates at most ${fmt(tolerance)}`,
      degradation,
      tolerance,
      metric,
    );
  });
}

export function sliceChecks(input: GateInput, champion: MetricValues | null): GateReason[] {
  const metric = input.policy.primaryMetric;
  const out: GateReason[] = [];
  for (const limit of input.policy.slices) {
    const subject = `slice ${limit.column}`;
    if (!champion) {
      out.push(
        reason(
          'slice_drop',
          'skipped',
          `${noChampion(input)}: per-slice drop on ${limit.column} does not apply`,
          null,
          limit.maxDrop,
          subject,
        ),
      );
      continue;
    }
    const slices = (input.slices ?? []).filter((s) => s.column === limit.column);
    if (slices.length === 0) {
      out.push(
        reason(
          'slice_drop',
          'failed',
          `no slice metrics were computed for column ${limit.column}`,
          null,
          limit.maxDrop,
          subject,
        ),
      );
      continue;
    }
    for (const s of slices) {
      const name = `slice ${s.column}=${s.value}`;
      if (s.rows < limit.minRows || !finite(s.champion) || !Number.isFinite(s.challenger)) {
        const why =
          s.rows < limit.minRows ? `only ${s.rows} held-out rows (< ${limit.minRows})` : `${metric} is undefined on it`;
        out.push(reason('slice_drop', 'skipped', `${name} not judged: ${why}`, null, limit.maxDrop, name));
        continue;
      }
      const drop = -metricGain(metric, s.challenger, s.champion);
      const ok = drop <= limit.maxDrop + EPSILON;
      out.push(
        reason(
          'slice_drop',
          ok ? 'passed' : 'failed',
          `${name} (${s.rows} rows): ${metric} challenger ${fmt(s.challenger)} vs champion ${fmt(s.champion)}, drop ${fmt(Math.max(drop, 0))}; the policy allows at most ${fmt(limit.maxDrop)}`,
          drop,
          limit.maxDrop,
          name,
        ),
      );
    }
  }
  return out;
}
