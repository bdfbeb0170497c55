import type { ModelSpec } from '../model-spec/model-spec.js';

/** The spec sections an `updatePolicy` may change on their own. */
export const POLICY_SECTIONS = ['trigger', 'approval', 'rollout'] as const;
export type PolicySection = (typeof POLICY_SECTIONS)[number];

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * `partial` laid over `base`: objects merge key by key, anything else (numbers, strings,
 * lists such as canary steps or approvers) replaces what was there.
 */
export function deepMerge(base: unknown, partial: unknown): unknown {
  if (!isObject(base) || !isObject(partial)) return partial;
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(partial)) merged[key] = deepMerge(base[key], value);
  return merged;
}

/**
 * An `updatePolicy` payload with `merge: true`, its sections laid over the spec in force:
 * `--trigger '{"cooldownMs":"2h"}'` changes the cooldown and keeps the floors and budget.
 * A rollout section naming another `strategy` replaces the section (the old strategy's
 * fields do not belong to the new one). Sections that are not objects, and the rest of
 * the payload, pass through for the schema to judge. Pure; never throws.
 */
export function mergePolicySections(current: ModelSpec | null, payload: unknown): unknown {
  if (!isObject(payload) || payload.merge !== true) return payload;
  const base = isObject(payload.spec) ? payload.spec : (current as unknown as Json | null);
  if (!base) return payload;
  const merged: Json = { ...payload };
  for (const section of POLICY_SECTIONS) {
    const partial = payload[section];
    const inForce = base[section];
    if (!isObject(partial) || !isObject(inForce)) continue;
    const switchesStrategy =
      section === 'rollout' && partial.strategy !== undefined && partial.strategy !== inForce.strategy;
    merged[section] = switchesStrategy ? partial : deepMerge(inForce, partial);
  }
  return merged;
}
