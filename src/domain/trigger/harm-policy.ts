import {
  HarmPolicySchema,
  DEFAULT_HARM_POLICY,
  type HarmPolicy,
  type HarmPolicyInput,
} from '../policies/harm-policy.js';

export { HarmPolicySchema, DEFAULT_HARM_POLICY, type HarmPolicy, type HarmPolicyInput };

/**
 * What is known about one input-drift alert when deciding whether it hurts. Every number is
 * optional evidence: null means "not known", never "zero".
 */
export interface DriftHarmEvidence {
  /** The features the drift test flagged. */
  driftedFeatures: string[];
  /** The champion's importance by feature (`lineage.importance.byFeature`); null when the version recorded none. */
  importance: Record<string, number> | null;
  /** Drop of the primary metric measured on labelled production rows (baseline − live); null without labels. */
  measuredDrop: number | null;
  /** Drop of the primary metric estimated without labels (CBPE); null when no estimate exists. */
  estimatedDrop: number | null;
}

/** Which piece of evidence decided. */
export const HarmBasis = {
  /** `trigger.harm.enabled: false`: drift counts as before. */
  disabled: 'disabled',
  measuredDrop: 'measuredDrop',
  estimatedDrop: 'estimatedDrop',
  importance: 'importance',
  /** No usable importance: harm cannot be ruled out, so the drift counts (see {@link assessDriftHarm}). */
  importanceUnknown: 'importanceUnknown',
  /** Nothing says it hurts. */
  benign: 'benign',
} as const;
export type HarmBasis = (typeof HarmBasis)[keyof typeof HarmBasis];

export interface DriftHarmAssessment {
  harmful: boolean;
  /** One sentence with the numbers, for `status` and the history. */
  reason: string;
  basis: HarmBasis;
  /** Share (0..1) of the champion's importance held by the drifted features; null when unknown. */
  importantShare: number | null;
  measuredDrop: number | null;
  estimatedDrop: number | null;
}

/** The numbers a drift alert can carry once the monitor has computed them (what the flywheel receives). */
export interface DriftHarmNumbers {
  importantShare: number | null;
  measuredDrop: number | null;
  estimatedDrop: number | null;
}

const pct = (x: number) => `${Number((x * 100).toFixed(1))}%`;
const num = (x: number) => `${Number(x.toFixed(4))}`;

/**
 * Share of the total importance held by `features`. Importances are taken as magnitudes
 * (a negative permutation importance is noise around zero, a negative coefficient is as
 * important as a positive one), features missing from the record count as 0. Null when the
 * record is missing or sums to zero: then nothing is known about what matters.
 */
export function importantShareOf(
  features: readonly string[],
  importance: Record<string, number> | null,
): number | null {
  if (!importance) return null;
  const weight = (f: string) => {
    const v = importance[f];
    return v !== undefined && Number.isFinite(v) ? Math.abs(v) : 0;
  };
  const total = Object.keys(importance).reduce((s, f) => s + weight(f), 0);
  if (!(total > 0)) return null;
  const drifted = [...new Set(features)].reduce((s, f) => s + weight(f), 0);
  return Math.min(1, drifted / total);
}

/**
 * Decides from already computed numbers (the monitor sends the share, not the importance
 * table). Order: a measured drop on labels is the strongest evidence, then an estimated
 * drop, then the importance of what drifted.
 *
 * Unknown importance (a version registered before importance was recorded, an external
 * alert that names no features) with no drop reaching its threshold is treated as
 * **harmful**: the rule may only remove retrains it can show are useless; without
 * importance it cannot, and missing a real degradation costs more than one retrain the
 * cooldown and budget still bound.
 */
export function assessDriftHarmNumbers(n: DriftHarmNumbers, policy: HarmPolicy): DriftHarmAssessment {
  const out = (harmful: boolean, basis: HarmBasis, reason: string): DriftHarmAssessment => ({
    harmful,
    basis,
    reason,
    importantShare: n.importantShare,
    measuredDrop: n.measuredDrop,
    estimatedDrop: n.estimatedDrop,
  });
  if (!policy.enabled) return out(true, HarmBasis.disabled, 'harm rule disabled (trigger.harm.enabled: false)');
  if (n.measuredDrop !== null && n.measuredDrop >= policy.minMeasuredDrop)
    return out(
      true,
      HarmBasis.measuredDrop,
      `measured drop ${num(n.measuredDrop)} on labels ≥ ${num(policy.minMeasuredDrop)}`,
    );
  if (n.estimatedDrop !== null && n.estimatedDrop >= policy.minEstimatedDrop)
    return out(
      true,
      HarmBasis.estimatedDrop,
      `estimated drop ${num(n.estimatedDrop)} ≥ ${num(policy.minEstimatedDrop)}`,
    );
  if (n.importantShare === null)
    return out(true, HarmBasis.importanceUnknown, "champion's feature importance unknown: harm cannot be ruled out");
  if (n.importantShare >= policy.minImportantDriftShare)
    return out(
      true,
      HarmBasis.importance,
      `drifted features hold ${pct(n.importantShare)} of the champion's importance ≥ ${pct(policy.minImportantDriftShare)}`,
    );
  const drops = [
    n.measuredDrop === null ? 'no labels' : `measured drop ${num(n.measuredDrop)} < ${num(policy.minMeasuredDrop)}`,
    n.estimatedDrop === null
      ? 'no estimate'
      : `estimated drop ${num(n.estimatedDrop)} < ${num(policy.minEstimatedDrop)}`,
  ];
  return out(
    false,
    HarmBasis.benign,
    `benign drift: drifted features hold ${pct(n.importantShare)} of the champion's importance < ${pct(policy.minImportantDriftShare)}; ${drops.join('; ')}`,
  );
}

/**
 * Whether an input-drift alert is likely to hurt the champion, with the reason and the
 * numbers. Pure: the monitor calls it with the champion version's recorded importance, the
 * backtest with its own, the flywheel (through {@link assessDriftHarmNumbers}) with the
 * numbers an alert carries.
 */
export function assessDriftHarm(evidence: DriftHarmEvidence, policy: HarmPolicy): DriftHarmAssessment {
  const importantShare =
    evidence.driftedFeatures.length === 0 ? null : importantShareOf(evidence.driftedFeatures, evidence.importance);
  return assessDriftHarmNumbers(
    { importantShare, measuredDrop: evidence.measuredDrop, estimatedDrop: evidence.estimatedDrop },
    policy,
  );
}
