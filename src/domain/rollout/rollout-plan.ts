import { formatDuration } from '../duration.js';
import type { RolloutPolicy } from '../policies/rollout-policy.js';

/** One phase of a rollout: mirror traffic to the candidate, or send it a share of live traffic. */
export type RolloutPhase =
  | { kind: 'shadow'; label: string; bakeMs: number; minAgreement: number }
  | { kind: 'traffic'; label: string; /** 0..1 of live traffic to the candidate. */ weight: number; bakeMs: number };

/**
 * Turns a rollout policy into an ordered list of phases; after the last one passes the
 * candidate is promoted. `direct` has no phases: it switches at once.
 */
export function planRollout(policy: RolloutPolicy): RolloutPhase[] {
  const steps = (list: { weight: number; bakeMs: number }[]): RolloutPhase[] =>
    list.map((s) => ({
      kind: 'traffic',
      weight: s.weight / 100,
      bakeMs: s.bakeMs,
      label: `canary ${s.weight}% for ${formatDuration(s.bakeMs)}`,
    }));
  switch (policy.strategy) {
    case 'direct':
      return [];
    case 'blueGreen':
      return [
        {
          kind: 'traffic',
          weight: 1,
          bakeMs: policy.bakeMs,
          label: `blue-green switch, champion kept warm for ${formatDuration(policy.bakeMs)}`,
        },
      ];
    case 'canary':
      return steps(policy.steps);
    case 'shadow':
      return [
        {
          kind: 'shadow',
          bakeMs: policy.durationMs,
          minAgreement: policy.minAgreement,
          label: `shadow for ${formatDuration(policy.durationMs)}`,
        },
        ...steps(policy.steps),
      ];
  }
}
