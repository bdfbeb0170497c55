import { createHash } from 'node:crypto';
import { Arm } from '../domain/records/prediction-log-entry.js';

export { Arm };

export interface SplitRouting {
  championVersion: number;
  canary?: { version: number; weight: number } | undefined;
}

/**
 * Position of a request key in [0, 1), the same on every gateway replica and restart.
 * Because a key goes to the canary when its position is below the weight, raising the
 * weight only moves champion keys to the canary, never the reverse: a sticky user does
 * not flip back and forth across canary steps.
 */
export function stickyPosition(modelId: string, requestKey: string): number {
  const digest = createHash('sha256').update(modelId).update('\u0000').update(requestKey).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000;
}

/** Whether one request goes to the canary: sticky by key when given, otherwise uniformly at random. */
export function routesToCanary(
  routing: SplitRouting,
  modelId: string,
  requestKey: string | undefined,
  random: () => number = Math.random,
): boolean {
  const canary = routing.canary;
  if (!canary || canary.weight <= 0) return false;
  const position = requestKey === undefined ? random() : stickyPosition(modelId, requestKey);
  return position < canary.weight;
}

/** Picks the arm for one request: sticky by key when given, otherwise uniformly at random. */
export function chooseArm(
  routing: SplitRouting,
  modelId: string,
  requestKey: string | undefined,
  random: () => number = Math.random,
): { arm: Arm; version: number } {
  return routesToCanary(routing, modelId, requestKey, random)
    ? { arm: Arm.canary, version: routing.canary!.version }
    : { arm: Arm.champion, version: routing.championVersion };
}
