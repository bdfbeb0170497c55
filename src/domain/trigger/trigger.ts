import { z } from 'zod';
import { TriggerKindSchema, type TriggerKind } from '../policies/trigger-policy.js';

/** One request for a retrain, normalised from whatever signal carried it. */
export const TriggerSchema = z.object({
  kind: TriggerKindSchema,
  /** Drift severity (0..1), performance degradation, or new row count; compared with the floor. */
  score: z.number().optional(),
  /** Epoch ms when the flywheel received it. */
  at: z.number(),
  source: z.string().max(200).optional(),
  detail: z.string().max(500).optional(),
  requestedBy: z.string().max(200).optional(),
  /** Manual only: skip cooldown and budget. */
  force: z.boolean().optional(),
  /** The alert's identity (Alertmanager fingerprint, monitor key): a resolved alert retracts its pending triggers by it. */
  fingerprint: z.string().max(200).optional(),
  /** The model version the alert observed (absent: not said). */
  observedVersion: z.number().int().positive().optional(),
  /** Epoch ms when the sender raised the alert (its `at`), when it said. */
  raisedAt: z.number().optional(),
  /** Drift only: the evidence of harm the alert carried (see `trigger.harm`). */
  harm: z
    .object({
      importantShare: z.number().nullable(),
      measuredDrop: z.number().nullable(),
      estimatedDrop: z.number().nullable(),
    })
    .optional(),
});
export type Trigger = z.infer<typeof TriggerSchema>;

/** A compact record of one trigger inside a batch (the first few are kept verbatim). */
export type TriggerSample = Pick<
  Trigger,
  'kind' | 'score' | 'at' | 'source' | 'detail' | 'requestedBy' | 'fingerprint' | 'observedVersion' | 'raisedAt'
>;

/** Kinds scored against a floor. */
export type ScoredKind = 'drift' | 'performance' | 'newData';

/**
 * Every trigger not yet turned into a cycle, merged into one batch: however many alerts
 * arrive, they become at most one cycle. JSON-only so it survives continue-as-new.
 */
export interface TriggerBatch {
  kinds: TriggerKind[];
  /** The most telling kind, used for the CtTrigger search attribute and the lineage. */
  primary: TriggerKind;
  count: number;
  firstAt: number;
  lastAt: number;
  maxScore: Partial<Record<ScoredKind, number>>;
  force: boolean;
  requestedBy?: string;
  /** Debounce: until when alerts are gathered; absent once a schedule or manual trigger joined. */
  gatherUntil?: number;
  samples: TriggerSample[];
}

export const MAX_BATCH_SAMPLES = 10;

/** Priority when naming a batch: a human's request says the most, a schedule the least. */
const KIND_PRIORITY: readonly TriggerKind[] = ['manual', 'drift', 'performance', 'newData', 'schedule'];

/** Kinds that wait for the debounce window; schedule and manual triggers act at once. */
export const DEBOUNCED_KINDS: readonly TriggerKind[] = ['drift', 'performance', 'newData'];

export function isScoredKind(kind: TriggerKind): kind is ScoredKind {
  return kind === 'drift' || kind === 'performance' || kind === 'newData';
}

function sample(t: Trigger): TriggerSample {
  const s: TriggerSample = { kind: t.kind, at: t.at };
  if (t.score !== undefined) s.score = t.score;
  if (t.source !== undefined) s.source = t.source;
  if (t.detail !== undefined) s.detail = t.detail;
  if (t.requestedBy !== undefined) s.requestedBy = t.requestedBy;
  if (t.fingerprint !== undefined) s.fingerprint = t.fingerprint;
  if (t.observedVersion !== undefined) s.observedVersion = t.observedVersion;
  if (t.raisedAt !== undefined) s.raisedAt = t.raisedAt;
  return s;
}

/** Adds a trigger to a batch (or starts one); pure, returns a new batch. */
export function addToBatch(batch: TriggerBatch | null, t: Trigger, debounceMs: number): TriggerBatch {
  const debounced = DEBOUNCED_KINDS.includes(t.kind);
  const base: TriggerBatch = batch ?? {
    kinds: [],
    primary: t.kind,
    count: 0,
    firstAt: t.at,
    lastAt: t.at,
    maxScore: {},
    force: false,
    samples: [],
    ...(debounced ? { gatherUntil: t.at + debounceMs } : {}),
  };
  const kinds = base.kinds.includes(t.kind) ? base.kinds : [...base.kinds, t.kind];
  const maxScore = { ...base.maxScore };
  if (isScoredKind(t.kind) && t.score !== undefined) {
    maxScore[t.kind] = Math.max(maxScore[t.kind] ?? Number.NEGATIVE_INFINITY, t.score);
  }
  const next: TriggerBatch = {
    ...base,
    kinds,
    primary: KIND_PRIORITY.find((k) => kinds.includes(k)) ?? t.kind,
    count: base.count + 1,
    lastAt: Math.max(base.lastAt, t.at),
    maxScore,
    force: base.force || (t.kind === 'manual' && t.force === true),
    samples: base.samples.length < MAX_BATCH_SAMPLES ? [...base.samples, sample(t)] : base.samples,
  };
  if (t.kind === 'manual' && t.requestedBy) next.requestedBy = t.requestedBy;
  if (!debounced) delete next.gatherUntil;
  return next;
}

/** One line naming a batch, e.g. "3 triggers (drift ×2, manual) max drift 0.71". */
export function describeBatch(batch: TriggerBatch): string {
  const byKind = batch.samples.reduce<Record<string, number>>(
    (acc, s) => ({ ...acc, [s.kind]: (acc[s.kind] ?? 0) + 1 }),
    {},
  );
  const kinds = batch.kinds.map((k) => (byKind[k] && byKind[k] > 1 ? `${k} ×${byKind[k]}` : k)).join(', ');
  const scores = Object.entries(batch.maxScore)
    .map(([k, v]) => `max ${k} ${Number(v.toFixed(3))}`)
    .join(', ');
  return `${batch.count} trigger${batch.count === 1 ? '' : 's'} (${kinds})${scores ? ` ${scores}` : ''}${batch.force ? ' forced' : ''}`;
}
