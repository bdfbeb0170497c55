import { Context, log } from '@temporalio/activity';
import { z } from 'zod';
import { snapshotRefSchema, type SnapshotRef } from '../domain/records/snapshot-ref.js';
import { readSnapshotTable } from '../adapters/data-sources/snapshot-store.js';
import type { ModelRegistry } from '../adapters/registry/model-registry.js';
import { openScorer } from '../adapters/model-formats/index.js';
import type { Scorer } from '../domain/model-format/scorer.js';
import type { ModelSpec } from '../domain/model-spec/model-spec.js';
import { featureSpecSchema, taskSchema } from '../domain/features.js';
import { gatePolicySchema } from '../domain/policies/gate-policy.js';
import { modelIdSchema, sha256Schema, versionNumberSchema } from '../domain/records/index.js';
import { UnservableKind, unservableKindOf } from '../domain/rollout/serviceability.js';
import { mapFailures, parseInput } from './errors.js';
import { evaluateModels, type GateResult } from './evaluation/evaluate-models.js';

export interface EvaluationActivityDeps {
  readonly registry: ModelRegistry;
}

export interface EvaluateCandidateInput {
  readonly spec: ModelSpec;
  readonly snapshot: SnapshotRef;
  readonly candidateSha256: string;
  /** The champion to compare with; absent for the first model (judged on absolute floors). */
  readonly championVersion?: number;
}

/** GateResult plus the champion it was compared with, for the candidate's lineage. */
export interface EvaluateCandidateResult extends GateResult {
  readonly comparedWith: { readonly version: number; readonly artifactSha256: string } | null;
  /**
   * The champion exists but cannot be served (tampered or missing artifact, invalid model):
   * the candidate was judged on the absolute floors only. An alert-worthy finding: the
   * gateway answers 503 for this model until a new champion replaces it.
   */
  readonly championUnservable?: { readonly version: number; readonly kind: UnservableKind; readonly detail: string };
}

const inputSchema = z.object({
  spec: z
    .object({
      id: modelIdSchema,
      task: taskSchema,
      features: z.array(featureSpecSchema).optional(),
      label: z.object({ name: z.string() }),
      gate: gatePolicySchema,
    })
    .passthrough(),
  snapshot: snapshotRefSchema,
  candidateSha256: sha256Schema,
  championVersion: versionNumberSchema.optional(),
});

/** Heartbeats when running as an activity; a no-op when called directly (tests, CLI). */
function beat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not inside an activity
  }
}

/** Logs through the activity logger when running as an activity; silent when called directly. */
function logError(message: string, meta: Record<string, unknown>): void {
  try {
    log.error(message, meta);
  } catch {
    // not inside an activity
  }
}

/** The evaluation gate activity: everything is read by id/hash, nothing large crosses the wire. */
export function createEvaluationActivities({ registry }: EvaluationActivityDeps) {
  /** The artifact's scorer, bound to the spec: a model that does not fit it fails with InvalidModelArtifact, naming why. */
  const loadModel = async (sha256: string, spec: z.infer<typeof inputSchema>['spec']) => {
    const bytes = await registry.getArtifact(sha256); // re-hashed: a tampered artifact fails with ArtifactIntegrity
    return {
      scorer: await openScorer({ bytes, sha256, features: spec.features ?? null, task: spec.task }),
      sizeBytes: bytes.byteLength,
    };
  };

  return {
    /**
     * Scores the candidate (and the champion, when there is one) on the snapshot's held-out
     * rows and returns the gate's decision with every reason and number. A rejection is a
     * normal result, not a failure: the workflow records it and decides what to do.
     */
    async evaluateCandidate(input: EvaluateCandidateInput): Promise<EvaluateCandidateResult> {
      const i = parseInput(inputSchema, input, 'evaluateCandidate');
      return mapFailures(async () => {
        beat({ step: 'loading' });
        const challenger = await loadModel(i.candidateSha256, i.spec);
        let champion: Scorer | null = null;
        let comparedWith = null;
        let championUnservable: EvaluateCandidateResult['championUnservable'];
        if (i.championVersion !== undefined) {
          try {
            const version = await registry.getVersion(i.spec.id, i.championVersion);
            champion = (await loadModel(version.artifact.sha256, i.spec)).scorer;
            comparedWith = { version: version.version, artifactSha256: version.artifact.sha256 };
          } catch (err) {
            // A corrupt champion must not fail every retrain: it is reported, and not compared with.
            const kind = unservableKindOf(err instanceof Error ? err.name : '');
            if (kind === UnservableKind.loadError) throw err;
            championUnservable = {
              version: i.championVersion,
              kind,
              detail: err instanceof Error ? err.message : String(err),
            };
            logError('the champion cannot be served; judging the candidate on the absolute floors only', {
              modelId: i.spec.id,
              alert: 'champion_unservable',
              ...championUnservable,
            });
          }
        }
        const { table } = await readSnapshotTable(i.snapshot.path, 'heldOut');
        beat({ step: 'scoring', heldOutRows: table.rowCount });
        const result = await evaluateModels({
          policy: i.spec.gate,
          task: i.spec.task,
          heldOut: table,
          labelName: i.spec.label.name,
          challenger: challenger.scorer,
          challengerSizeBytes: challenger.sizeBytes,
          champion,
          ...(championUnservable ? { championUnservable } : {}),
        });
        return { ...result, comparedWith, ...(championUnservable ? { championUnservable } : {}) };
      });
    },
  };
}

export type EvaluationActivities = ReturnType<typeof createEvaluationActivities>;
export type { GateResult };
