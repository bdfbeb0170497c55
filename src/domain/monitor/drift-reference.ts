import { z } from 'zod';

/**
 * What the monitor compares production features with once a champion has replaced another
 * (`monitor.referenceAfterPromotion` in the model spec). `championTraining`: the reference
 * profile of the snapshot the champion was trained on. `recentProduction`: the features
 * logged during the champion's first drift window in service: traffic its canary was judged
 * on and passed, so drift is measured from what it has been seen to serve well, not from a
 * training snapshot that may mix an old distribution the world has left.
 */
export const ReferenceAfterPromotionSchema = z.enum(['championTraining', 'recentProduction']);
export type ReferenceAfterPromotion = z.infer<typeof ReferenceAfterPromotionSchema>;
export const DEFAULT_REFERENCE_AFTER_PROMOTION: ReferenceAfterPromotion = 'championTraining';

/** Which reference one check uses. */
export type DriftReference =
  | { kind: 'training' }
  /** The production window `[fromMs, toMs)`; the drift window starts no earlier than `toMs`. */
  | { kind: 'production'; fromMs: number; toMs: number }
  /** The production reference window has not ended yet: no drift verdict until `readyAtMs`. */
  | { kind: 'filling'; readyAtMs: number };

export interface ReferenceFacts {
  atMs: number;
  /** When the champion started serving as champion. */
  sinceMs: number;
  driftWindowMs: number;
  /** Whether it replaced an earlier champion (the first champion keeps its training reference). */
  promoted: boolean;
}

/** Picks the drift reference of one check. Pure. */
export function chooseDriftReference(mode: ReferenceAfterPromotion, f: ReferenceFacts): DriftReference {
  if (mode === 'championTraining' || !f.promoted) return { kind: 'training' };
  const toMs = f.sinceMs + f.driftWindowMs;
  return f.atMs < toMs ? { kind: 'filling', readyAtMs: toMs } : { kind: 'production', fromMs: f.sinceMs, toMs };
}

/** Whether the routing history shows another champion before the current one. */
export function replacedAnotherChampion(
  history: ReadonlyArray<{ championVersion: number }>,
  championVersion: number,
): boolean {
  return history.some((r) => r.championVersion !== championVersion);
}
