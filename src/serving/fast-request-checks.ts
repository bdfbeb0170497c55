import type { z } from 'zod';
import { MODEL_ID_PATTERN } from '../domain/records/ids.js';
import {
  MAX_FEATURES,
  MAX_REQUEST_KEY,
  MAX_STRING_FEATURE,
  ModelParamsSchema,
  PredictBodySchema,
  type PredictBody,
} from './request-schemas.js';

/**
 * The predict route's boundary checks, each a shortcut in front of its zod schema. A
 * request the shortcut admits is one the schema accepts unchanged (test/unit/serving/
 * fast-request-checks.test.ts holds both to that on a corpus of edge cases and random
 * bodies); anything else goes to zod, so a refusal names its field exactly as before.
 * Why: zod builds a context, an issue list and a copy of every record on each call, which
 * was the largest share of the gateway's own work per request after the socket writes and
 * the prediction log (`npm run bench:gateway -- --cpu-prof <dir>`).
 */

/** `PredictBodySchema.safeParse`, without zod's cost for a well-formed body. */
export function parsePredictBody(body: unknown): z.SafeParseReturnType<unknown, PredictBody> {
  return admitsPredictBody(body) ? { success: true, data: body } : PredictBodySchema.safeParse(body);
}

/** `ModelParamsSchema.safeParse`, without zod's cost for a well-formed model id. */
export function parseModelParams(params: unknown): z.SafeParseReturnType<unknown, { id: string }> {
  const id = isRecordLike(params) && Object.hasOwn(params, 'id') ? params.id : undefined;
  return typeof id === 'string' && MODEL_ID_PATTERN.test(id)
    ? { success: true, data: { id } }
    : ModelParamsSchema.safeParse(params);
}

/** True only for a body the schema accepts as it is; false sends it to zod (which may still accept it). */
export function admitsPredictBody(body: unknown): body is PredictBody {
  if (!isPlainObject(body)) return false;
  let features = false;
  for (const key in body) {
    if (!Object.hasOwn(body, key)) return false;
    if (key === 'features') {
      if (!admitsFeatures(body[key])) return false;
      features = true;
    } else if (key === 'requestKey') {
      const k = body[key];
      if (typeof k !== 'string' || k.length < 1 || k.length > MAX_REQUEST_KEY) return false;
    } else return false;
  }
  return features;
}

function admitsFeatures(features: unknown): boolean {
  if (!isPlainObject(features)) return false;
  let count = 0;
  for (const name in features) {
    // zod copies a record key by assignment: "__proto__" would set the copy's prototype instead.
    if (!Object.hasOwn(features, name) || name === '__proto__') return false;
    if (++count > MAX_FEATURES) return false;
    const v = features[name];
    if (v === null || typeof v === 'boolean') continue;
    if (typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string' && v.length <= MAX_STRING_FEATURE) continue;
    return false;
  }
  return true;
}

/** An object as JSON.parse makes it; anything more exotic (arrays, class instances, null prototype) goes to zod. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * An object as JSON.parse makes it, or a dictionary on a null prototype, such as the params
 * object Fastify's router builds (`new NullObject()`, whose prototype's prototype is null).
 * Arrays, dates, maps and other class instances go to zod.
 */
function isRecordLike(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}
