import { z } from 'zod';
import { snapshotRefSchema, type SnapshotRef } from '../domain/records/snapshot-ref.js';
import { readSnapshotTable } from '../adapters/data-sources/snapshot-store.js';
import type { ModelRegistry } from '../adapters/registry/model-registry.js';
import type { ServingState } from '../adapters/serving-state/serving-state.js';
import { taskSchema, type Task } from '../domain/features.js';
import type { FeatureRow } from '../domain/model-format/predict.js';
import { answerOf, type Scorer } from '../domain/model-format/scorer.js';
import { modelIdSchema, versionNumberSchema } from '../domain/records/index.js';
import {
  UnservableKind,
  unservableKindOf,
  type LoadFailureSummary,
  type ServiceabilityReport,
} from '../domain/rollout/serviceability.js';
import { ModelLoader } from '../adapters/model-formats/model-loader.js';
import type { Table } from '../stats/table.js';
import { mapFailures, parseInput } from './errors.js';

export interface ServiceabilityActivityDeps {
  readonly registry: ModelRegistry;
  readonly servingState: ServingState;
}

export interface CheckServableInput {
  readonly modelId: string;
  readonly version: number;
  /** Held-out rows to smoke-test on; without a snapshot, one row at the model's own means. */
  readonly snapshot?: SnapshotRef;
  /** The task the model must serve (a regression artifact behind a classifier's id cannot serve). */
  readonly task?: Task;
}

const checkSchema = z.object({
  modelId: modelIdSchema,
  version: versionNumberSchema,
  snapshot: snapshotRefSchema.optional(),
  task: taskSchema.optional(),
});
const windowSchema = z
  .object({
    modelId: modelIdSchema,
    version: versionNumberSchema,
    fromMs: z.number().int().min(0),
    toMs: z.number().int().min(0),
  })
  .refine((q) => q.toMs >= q.fromMs, { message: 'toMs must be >= fromMs', path: ['toMs'] });

/** Enough rows to hit every branch a linear model has (categories, missing values), few enough to take milliseconds. */
const SMOKE_ROWS = 32;

/**
 * Serviceability of a model version, InfraValidator-style: the rollout asks before any
 * traffic and before every weight step, and reads what the gateways refused while it baked.
 */
export function createServiceabilityActivities({ registry, servingState }: ServiceabilityActivityDeps) {
  return {
    /**
     * Loads the version exactly as the gateway does (registry manifest → sha256-verified
     * bytes → model parser, through the gateway's own ModelLoader, nothing cached) and
     * scores held-out rows with the gateway's scorer. An artifact that cannot serve is a
     * normal result naming what failed; only transient trouble (a busy registry) throws.
     */
    async checkServable(input: CheckServableInput): Promise<ServiceabilityReport> {
      const i = parseInput(checkSchema, input, 'checkServable');
      return mapFailures(async () => {
        const loaded = await new ModelLoader(registry, { retryAfterMs: 0 }).load(i.modelId, i.version);
        if (!loaded.ok) {
          const kind = unservableKindOf(loaded.error.name);
          if (kind === UnservableKind.loadError) throw loaded.error; // not a verdict on the artifact: retried
          return { servable: false, version: i.version, kind, detail: loaded.error.message };
        }
        const { scorer, sha256 } = loaded;
        if (i.task !== undefined && scorer.task !== i.task) {
          return {
            servable: false,
            version: i.version,
            kind: UnservableKind.invalidModel,
            detail: `v${i.version} is a ${scorer.task} model but ${i.modelId} serves ${i.task}`,
          };
        }
        const rows = i.snapshot
          ? rowsOf((await readSnapshotTable(i.snapshot.path, 'heldOut')).table, SMOKE_ROWS)
          : [scorer.exampleRow()];
        const bad = await smokeTest(scorer, rows);
        if (bad)
          return {
            servable: false,
            version: i.version,
            kind: UnservableKind.smokePrediction,
            detail: `v${i.version}: ${bad}`,
          };
        const on = i.snapshot
          ? `${rows.length} held-out rows of ${i.snapshot.snapshotId}`
          : 'a row at its feature means';
        return {
          servable: true,
          version: i.version,
          sha256,
          smokeRows: rows.length,
          detail: `v${i.version} (sha256 ${sha256.slice(0, 12)}…) loads from verified bytes and answered ${on}`,
        };
      });
    },

    /** What the gateways failed to load of this version in `[fromMs, toMs)`, or null. */
    async readLoadFailures(input: {
      modelId: string;
      version: number;
      fromMs: number;
      toMs: number;
    }): Promise<LoadFailureSummary | null> {
      const q = parseInput(windowSchema, input, 'readLoadFailures');
      return mapFailures(() => servingState.readLoadFailures(q));
    },
  };
}

/** The first answer that is not a valid prediction, described; null when every row got one. */
async function smokeTest(scorer: Scorer, rows: readonly FeatureRow[]): Promise<string | null> {
  if (rows.length === 0) return 'no held-out rows to score';
  let scores: Float64Array;
  try {
    scores = await scorer.score(rows);
  } catch (err) {
    return `the rows could not be scored: ${err instanceof Error ? err.message : String(err)}`;
  }
  for (const [n, s] of scores.entries()) {
    const a = answerOf(scorer, s);
    if (!Number.isFinite(a.prediction)) return `row ${n} scored ${a.prediction}, not a finite prediction`;
    if (a.probability !== null && !(a.probability >= 0 && a.probability <= 1))
      return `row ${n} scored probability ${a.probability}, outside [0, 1]`;
  }
  return null;
}

function rowsOf(table: Table, limit: number): FeatureRow[] {
  const n = Math.min(limit, table.rowCount);
  return Array.from({ length: n }, (_, r) => {
    const row: Record<string, unknown> = {};
    for (const [name, col] of Object.entries(table.columns)) {
      const v = col.values[r];
      row[name] = typeof v === 'number' && Number.isNaN(v) ? null : v;
    }
    return row;
  });
}

export type ServiceabilityActivities = ReturnType<typeof createServiceabilityActivities>;
