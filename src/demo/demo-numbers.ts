import type { AccuracyTracker } from './accuracy-tracker.js';

export interface DemoNumbers {
  preDrift: { accuracy: number; count: number } | null;
  staticAfterDrift: { accuracy: number; count: number } | null;
  ctAfterPromotion: { accuracy: number; count: number } | null;
  staticAfterPromotion: { accuracy: number; count: number } | null;
  /** CT after promotion within 2 points of pre-drift while the static model stays degraded. */
  accepted: boolean;
  verdict: string;
}

const pct = (v: number | undefined): string => (v === undefined ? 'n/a' : `${(v * 100).toFixed(1)}%`);

/**
 * The acceptance numbers, all measured on the same simulated stream: pre-drift accuracy
 * (served answers before the change), the static model after the change, and the CT model
 * over the same window after promotion (settled) as the static model it is compared with.
 */
export function demoNumbers(
  ct: AccuracyTracker,
  frozen: AccuracyTracker,
  w: { preFromMs: number; driftMs: number; promotedMs: number | null; endMs: number },
): DemoNumbers {
  const preDrift = ct.between(w.preFromMs, w.driftMs);
  const staticAfterDrift = frozen.between(w.driftMs, w.endMs);
  const ctAfterPromotion = w.promotedMs === null ? null : ct.between(w.promotedMs, w.endMs);
  const staticAfterPromotion = w.promotedMs === null ? null : frozen.between(w.promotedMs, w.endMs);
  const recovered =
    preDrift && ctAfterPromotion ? Math.abs(ctAfterPromotion.accuracy - preDrift.accuracy) <= 0.02 : false;
  const degraded = preDrift && staticAfterPromotion ? preDrift.accuracy - staticAfterPromotion.accuracy > 0.02 : false;
  const accepted = recovered && degraded;
  const verdict = accepted
    ? `acceptance met: CT after promotion ${pct(ctAfterPromotion?.accuracy)} is within 2 points of pre-drift ${pct(preDrift?.accuracy)}; the static model stays at ${pct(staticAfterPromotion?.accuracy)}`
    : `acceptance NOT met: pre-drift ${pct(preDrift?.accuracy)}, CT after promotion ${pct(ctAfterPromotion?.accuracy)}, static ${pct(staticAfterPromotion?.accuracy)}`;
  return { preDrift, staticAfterDrift, ctAfterPromotion, staticAfterPromotion, accepted, verdict };
}

export { pct };
