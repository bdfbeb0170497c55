/**
 * An alert the webhook did not signal, in the 202 answer: which one (its index in the
 * notification, its fingerprint, its model when known), the field to fix as the sender
 * names it (`alerts[1].labels.model`, `score`), and why.
 */
export interface RejectedAlert {
  index?: number;
  fingerprint?: string;
  modelId?: string;
  field: string;
  reason: string;
}

/** A rejection of the alert `about` (whichever of index, fingerprint and model are known), at `field`. */
export function rejectedAlert(
  about: { index?: number; fingerprint?: string; modelId?: string },
  field: string,
  reason: string,
): RejectedAlert {
  return {
    ...(about.index !== undefined ? { index: about.index } : {}),
    ...(about.fingerprint ? { fingerprint: about.fingerprint } : {}),
    ...(about.modelId ? { modelId: about.modelId } : {}),
    field,
    reason,
  };
}
