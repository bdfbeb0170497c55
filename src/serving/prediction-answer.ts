import type { Answer } from '../domain/model-format/scorer.js';

/** The content type Fastify gives a JSON answer; the predict route sends its answer as text with it. */
export const JSON_TYPE = 'application/json; charset=utf-8';

/** What a flagged (out-of-range, scored anyway) feature looks like in an answer. */
export interface AnswerFlag {
  readonly field: string;
  readonly message: string;
}

/** A number as JSON.stringify writes it: non-finite numbers become null. */
const jsonNumber = (n: number | null): string => (n !== null && Number.isFinite(n) ? `${n}` : 'null');

/**
 * The body of a 200 from the predict route, `{ prediction, probability, version, requestId, flags? }`,
 * written into a template: the same text JSON.stringify makes of that object
 * (test/unit/serving/prediction-answer.test.ts), without walking an object per request.
 * `requestId` is the gateway's own UUID (hex and dashes), so it needs no escaping; flags
 * are rare and go through JSON.stringify.
 */
export function predictionAnswerJson(
  answer: Answer,
  version: number,
  requestId: string,
  flags: readonly AnswerFlag[] | undefined,
): string {
  const head = `{"prediction":${jsonNumber(answer.prediction)},"probability":${jsonNumber(answer.probability)},"version":${jsonNumber(version)},"requestId":"${requestId}"`;
  return flags ? `${head},"flags":${JSON.stringify(flags)}}` : `${head}}`;
}
