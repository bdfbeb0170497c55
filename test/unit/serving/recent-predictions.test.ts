import { describe, expect, it } from 'vitest';
import { RecentPredictions, type ServedAnswer } from '../../../src/serving/recent-predictions.js';

const answer = (prediction: number): ServedAnswer => ({
  modelId: 'm',
  version: 1,
  arm: 'champion',
  prediction,
  classifier: true,
});

describe('RecentPredictions', () => {
  it('keeps the last `capacity` answers and forgets the oldest first', () => {
    const recent = new RecentPredictions(3);
    for (let i = 1; i <= 5; i++) recent.remember(`r${i}`, answer(i));
    expect(recent.get('r1')).toBeUndefined();
    expect(recent.get('r2')).toBeUndefined();
    expect([3, 4, 5].map((i) => recent.get(`r${i}`)?.prediction)).toEqual([3, 4, 5]);
  });

  it('a request id remembered again keeps one slot and its latest answer', () => {
    const recent = new RecentPredictions(2);
    recent.remember('a', answer(1));
    recent.remember('a', answer(2));
    recent.remember('b', answer(3));
    expect(recent.get('a')?.prediction).toBe(2);
    expect(recent.get('b')?.prediction).toBe(3);
    recent.remember('c', answer(4));
    expect(recent.get('a')).toBeUndefined();
    expect(recent.get('c')?.prediction).toBe(4);
  });

  it('wraps around its ring many times without losing the newest', () => {
    const recent = new RecentPredictions(100);
    for (let i = 0; i < 10_000; i++) recent.remember(`r${i}`, answer(i));
    expect(recent.get('r9899')).toBeUndefined();
    expect(recent.get('r9900')?.prediction).toBe(9900);
    expect(recent.get('r9999')?.prediction).toBe(9999);
  });
});
