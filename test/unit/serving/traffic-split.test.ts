import { describe, expect, it } from 'vitest';
import { chooseArm, stickyPosition } from '../../../src/serving/traffic-split.js';

describe('traffic split', () => {
  it('spreads request keys uniformly, so a sticky split matches the weight', () => {
    const n = 20_000;
    const weight = 0.25;
    let canary = 0;
    for (let i = 0; i < n; i++)
      if (chooseArm({ championVersion: 1, canary: { version: 2, weight } }, 'churn', `user-${i}`).version === 2)
        canary++;
    expect(Math.abs(canary / n - weight)).toBeLessThan(0.01);
  });

  it('gives the same key the same position on every call and different models different positions', () => {
    expect(stickyPosition('churn', 'k')).toBe(stickyPosition('churn', 'k'));
    expect(stickyPosition('churn', 'k')).not.toBe(stickyPosition('fraud', 'k'));
  });

  it('sends everything to the champion without a canary or at weight 0, everything to the canary at weight 1', () => {
    expect(chooseArm({ championVersion: 3 }, 'm', undefined, () => 0)).toEqual({ arm: 'champion', version: 3 });
    expect(chooseArm({ championVersion: 3, canary: { version: 4, weight: 0 } }, 'm', undefined, () => 0)).toEqual({
      arm: 'champion',
      version: 3,
    });
    expect(chooseArm({ championVersion: 3, canary: { version: 4, weight: 1 } }, 'm', undefined, () => 0.999)).toEqual({
      arm: 'canary',
      version: 4,
    });
  });
});
