import { createRng } from '../../stats/random.js';

/**
 * Deterministic train / held-out split: a seeded Fisher–Yates shuffle picks the held-out
 * rows; both parts keep the original row order so files stay readable and diffable.
 */
export function splitIndices(
  rowCount: number,
  heldOutFraction: number,
  seed: number,
): { train: Uint32Array; heldOut: Uint32Array } {
  const order = Uint32Array.from({ length: rowCount }, (_, i) => i);
  const rng = createRng(seed);
  for (let i = rowCount - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const heldOutCount = Math.min(rowCount, Math.max(rowCount > 1 ? 1 : 0, Math.round(rowCount * heldOutFraction)));
  const heldOut = order.slice(0, heldOutCount).sort();
  const train = order.slice(heldOutCount).sort();
  return { train, heldOut };
}
