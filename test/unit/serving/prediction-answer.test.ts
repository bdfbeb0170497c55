import { describe, expect, it } from 'vitest';
import { predictionAnswerJson } from '../../../src/serving/prediction-answer.js';
import { newRequestId } from '../../../src/serving/request-ids.js';

describe('predictionAnswerJson', () => {
  it('writes what JSON.stringify writes for the answer object, flags included', () => {
    const requestId = newRequestId();
    const flags = [{ field: 'features.x', message: 'features.x: 9 is above the maximum 5 "quoted" \\ ünï' }];
    for (const prediction of [0, 1, -0, 0.1 + 0.2, 1e21, -3.5e-7, 123456.789, Number.NaN, Infinity])
      for (const probability of [null, 0, 1, 0.7310585786300049, 1e-300, Number.NaN])
        for (const f of [undefined, flags]) {
          const expected = JSON.stringify({
            prediction,
            probability,
            version: 7,
            requestId,
            ...(f ? { flags: f } : {}),
          });
          expect(predictionAnswerJson({ prediction, probability }, 7, requestId, f)).toBe(expected);
        }
  });
});
