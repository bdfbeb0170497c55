import { fairnessChecks, floorChecks, latencyCheck, sizeCheck } from './absolute-checks.js';
import { guardChecks, improvementCheck, noChampion, significanceCheck, sliceChecks } from './comparative-checks.js';
import type { GateInput } from './gate-input.js';
import type { GateReason, GateVerdict } from './gate-result.js';
import { reason } from './reason.js';

/**
 * Judges a challenger against the gate policy. Pure: the evaluation activity computes the
 * evidence (metrics, significance, slices, fairness, size, latency); this only decides.
 *
 * Every check the policy defines is reported, passed, failed or skipped, each with a
 * message, the observed value and the limit. The decision is `promote` exactly when no
 * check failed. A first model (no champion) is judged on the absolute limits only:
 * floors, fairness, size and latency; comparisons are reported as skipped. So is a
 * challenger whose champion cannot be served: a corrupt champion must not block its own
 * replacement for ever, and the reasons say it was not compared.
 */
export function decideGate(input: GateInput): GateVerdict {
  const u = input.championUnservable ?? null;
  const champion = u ? null : (input.champion ?? null);
  const unservable: GateReason[] = u
    ? [
        reason(
          'champion_unservable',
          'skipped',
          `${noChampion(input)}: the challenger is judged on absolute floors only`,
          null,
          null,
          `champion v${u.version}`,
        ),
      ]
    : [];
  const reasons = [
    ...unservable,
    improvementCheck(input, champion),
    significanceCheck(input, champion),
    ...guardChecks(input, champion),
    ...floorChecks(input),
    ...sliceChecks(input, champion),
    ...fairnessChecks(input),
    sizeCheck(input),
    latencyCheck(input),
  ];
  return { decision: reasons.some((r) => r.status === 'failed') ? 'reject' : 'promote', reasons };
}

/** One line per failed check, for logs, notifications and failure messages. */
export function summarizeRejection(verdict: GateVerdict): string {
  return verdict.reasons
    .filter((r) => r.status === 'failed')
    .map((r) => `${r.code}: ${r.message}`)
    .join('; ');
}
