import { addToBatch, type TriggerBatch, type TriggerSample } from './trigger.js';

export interface BatchRemoval {
  /** The batch without the removed triggers; null when nothing is left. */
  batch: TriggerBatch | null;
  removed: TriggerSample[];
}

/**
 * Takes the triggers matching `drop` out of a pending batch (a resolved alert's, or alerts
 * gone stale at a promotion). A batch keeps its first {@link MAX_BATCH_SAMPLES} triggers
 * verbatim, and only those can be judged: a batch within that size is rebuilt exactly from
 * the triggers left; a larger one keeps its kinds and scores and loses the removed count.
 */
export function removeFromBatch(
  batch: TriggerBatch,
  drop: (s: TriggerSample) => boolean,
  debounceMs: number,
): BatchRemoval {
  const removed = batch.samples.filter(drop);
  if (removed.length === 0) return { batch, removed };
  const kept = batch.samples.filter((s) => !drop(s));
  if (batch.count > batch.samples.length) {
    return { batch: { ...batch, count: batch.count - removed.length, samples: kept }, removed };
  }
  const rebuilt = kept.reduce<TriggerBatch | null>((b, s) => addToBatch(b, s, debounceMs), null);
  if (!rebuilt) return { batch: null, removed };
  const force = batch.force && kept.some((s) => s.kind === 'manual');
  return { batch: { ...rebuilt, force }, removed };
}
