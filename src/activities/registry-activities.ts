import { z } from 'zod';
import { storedProfileSha256 } from '../adapters/data-sources/reference-profile-file.js';
import type { ModelRegistry } from '../adapters/registry/model-registry.js';
import {
  aliasSchema,
  approvalRecordSchema,
  cycleIdSchema,
  modelIdSchema,
  rolloutOutcomeSchema,
  sha256Schema,
  stageSchema,
  versionNumberSchema,
  type ApprovalRecord,
  type LineageInput,
  type ModelVersion,
  type RolloutOutcomeInput,
  Stage,
  type Alias,
} from '../domain/records/index.js';
import {
  eventForAlias,
  eventForStageChange,
  IllegalVersionTransitionError,
  versionEventSchema,
  type VersionEvent,
} from '../domain/records/version-lifecycle.js';
import {
  versionChangesSchema,
  type ParsedVersionChange,
  type VersionChange,
} from '../domain/records/version-changes.js';
import { disposeScorer } from '../adapters/model-formats/index.js';
import { describeCandidate } from './candidate-description.js';
import { mapFailures, parseInput as parse } from './errors.js';
import { measureHeldOutEvidence } from './held-out-evidence.js';
import { activityWarn as warn } from './activity-log.js';

export interface RegistryActivityDeps {
  readonly registry: ModelRegistry;
  /** Where snapshots live: registration records the sha256 of `<snapshotRoot>/<snapshotId>/reference-profile.json`. */
  readonly snapshotRoot?: string;
}

/** The current champion as the workflows need it: enough to evaluate against and to warm-start from. */
export interface ChampionRef {
  readonly version: number;
  readonly artifactSha256: string;
  readonly snapshotId: string;
}

/** Stages after which a version is not scored again by this process. */
const RETIRED_STAGES: ReadonlySet<Stage> = new Set<Stage>([Stage.archived, Stage.rolledBack, Stage.rejected]);

/** A retired version never scores again here: release its ONNX session (the gate's and the serviceability check's). */
async function releaseIfRetired(version: ModelVersion): Promise<void> {
  if (RETIRED_STAGES.has(version.stage)) await disposeScorer(version.artifact.sha256);
}

const versionRef = z.object({ modelId: modelIdSchema, version: versionNumberSchema });
const noteFields = { by: z.string().optional(), reason: z.string().optional() };
const noteOf = (i: { by?: string | undefined; reason?: string | undefined }) => ({
  ...(i.by === undefined ? {} : { by: i.by }),
  ...(i.reason === undefined ? {} : { reason: i.reason }),
});
const lineageDatasetRef = z
  .object({ dataset: z.object({ snapshotId: z.string().min(1), profileSha256: z.string().optional() }).passthrough() })
  .passthrough();

/**
 * The lineage with `dataset.profileSha256` filled in from the snapshot's stored profile, so
 * the registry record ties the drift reference to the version. Hashed here, in the activity,
 * so the workflow's commands stay as they were and running histories replay. A lineage that
 * already carries a sha, a snapshot without a profile, or no snapshot root leave it as given.
 */
async function withProfileSha256(lineage: LineageInput, snapshotRoot: string | undefined): Promise<LineageInput> {
  const ref = lineageDatasetRef.safeParse(lineage);
  if (snapshotRoot === undefined || !ref.success || ref.data.dataset.profileSha256 !== undefined) return lineage;
  const profileSha256 = await storedProfileSha256(snapshotRoot, ref.data.dataset.snapshotId);
  return profileSha256 === null ? lineage : { ...lineage, dataset: { ...lineage.dataset, profileSha256 } };
}

/**
 * Registry activities: thin, idempotent wrappers over the ModelRegistry port. Every one
 * may be retried safely (registration is keyed by cycle id; stage/alias/approval writes
 * converge to the same record).
 */
export function createRegistryActivities({ registry, snapshotRoot }: RegistryActivityDeps) {
  /** Applies a lifecycle event, then frees the scoring session of a version the event retired. */
  const applyEvent = async (modelId: string, version: number, event: VersionEvent, note: ReturnType<typeof noteOf>) => {
    const r = await registry.applyVersionEvent(modelId, version, event, note);
    await releaseIfRetired(r.version);
    return r;
  };

  /** One write of a version's record; each converges when repeated, so a retried list does too. */
  const applyChange = async (modelId: string, c: ParsedVersionChange): Promise<void> => {
    if (c.kind === 'approval') await registry.recordApproval(modelId, c.version, c.approval);
    else if (c.kind === 'rolloutOutcome') await registry.recordRollout(modelId, c.version, c.outcome);
    else await applyEvent(modelId, c.version, c.event, noteOf(c));
  };

  /** The lineage with `model` filled in (a lineage that already has one keeps it). */
  const withModelDescription = async (lineage: LineageInput, sha256: string): Promise<LineageInput> => {
    const ref = lineageDatasetRef.safeParse(lineage);
    if (!ref.success || (lineage as { model?: unknown }).model !== undefined) return lineage;
    const model = await describeCandidate(registry, sha256, snapshotRoot, ref.data.dataset.snapshotId);
    return model ? { ...lineage, model } : lineage;
  };

  /**
   * The lineage with `importance` and (binary classifiers) `calibration` measured on the
   * snapshot's held-out rows. Both are optional evidence: a lineage that carries either keeps
   * what it has, and a snapshot that cannot be read registers the version without them (the
   * trigger policy then has no importance to weigh, the monitor no estimate).
   */
  const withHeldOutEvidence = async (lineage: LineageInput, sha256: string): Promise<LineageInput> => {
    const ref = lineageDatasetRef.safeParse(lineage);
    const given = lineage as { importance?: unknown; calibration?: unknown };
    if (!ref.success || given.importance !== undefined || given.calibration !== undefined) return lineage;
    const evidence = await measureHeldOutEvidence({
      bytes: await registry.getArtifact(sha256),
      sha256,
      snapshotRoot,
      snapshotId: ref.data.dataset.snapshotId,
    }).catch((err: unknown) => {
      warn('held-out evidence not measured; registering without importance and calibration', {
        error: err instanceof Error ? err.message : String(err),
      });
      return null;
    });
    return evidence ? { ...lineage, ...evidence } : lineage;
  };

  return {
    /**
     * Registers the cycle's candidate, recording the sha256 of its snapshot's reference
     * profile and the artifact's description (format, opset, inputs, outputs) in the
     * lineage, with the feature importance and probability calibration measured on the
     * held-out rows; a retry returns the version the first attempt created. An ONNX model that
     * does not fit the snapshot's features and task is refused (InvalidModelArtifact).
     */
    async registerCandidate(input: {
      modelId: string;
      cycleId: string;
      artifactSha256: string;
      lineage: LineageInput;
    }): Promise<{ version: number; created: boolean }> {
      const i = parse(
        z.object({
          modelId: modelIdSchema,
          cycleId: cycleIdSchema,
          artifactSha256: sha256Schema,
          lineage: z.unknown(),
        }),
        input,
        'registerCandidate',
      );
      return mapFailures(async () => {
        const lineage = await withProfileSha256(input.lineage, snapshotRoot);
        const r = await registry.registerVersion({
          ...i,
          lineage: await withHeldOutEvidence(await withModelDescription(lineage, i.artifactSha256), i.artifactSha256),
        });
        return { version: r.version.version, created: r.created };
      });
    },

    /** The version holding the `champion` alias, or null before the first promotion. */
    async getChampion(modelId: string): Promise<ChampionRef | null> {
      const id = parse(modelIdSchema, modelId, 'getChampion');
      return mapFailures(async () => {
        const v = await registry.getAlias(id, 'champion');
        return v
          ? { version: v.version, artifactSha256: v.artifact.sha256, snapshotId: v.lineage.dataset.snapshotId }
          : null;
      });
    },

    async getVersion(input: { modelId: string; version: number }): Promise<ModelVersion> {
      const i = parse(versionRef, input, 'getVersion');
      return mapFailures(() => registry.getVersion(i.modelId, i.version));
    },

    async recordApproval(input: { modelId: string; version: number; approval: ApprovalRecord }): Promise<void> {
      const i = parse(versionRef.extend({ approval: approvalRecordSchema }), input, 'recordApproval');
      await mapFailures(() => registry.recordApproval(i.modelId, i.version, i.approval));
    },

    /**
     * Applies a lifecycle event to a version: its stage and aliases move together under the
     * model's lock, an event the lifecycle forbids is a non-retryable IllegalVersionTransition,
     * and a retry of an applied event changes nothing.
     */
    async applyVersionEvent(input: {
      modelId: string;
      version: number;
      event: VersionEvent;
      by?: string;
      reason?: string;
    }): Promise<{ stage: Stage; changed: boolean }> {
      const i = parse(versionRef.extend({ event: versionEventSchema, ...noteFields }), input, 'applyVersionEvent');
      return mapFailures(async () => {
        const r = await applyEvent(i.modelId, i.version, i.event, noteOf(i));
        return { stage: r.version.stage, changed: r.changed };
      });
    },

    /**
     * The record writes of one cycle step (its approval answer and the event it leads to; the
     * rollout's outcome and the promotion or rollback it leads to), in order, in one call
     * instead of one activity each. At most one lifecycle event per version (see
     * versionChangesSchema), so a retry of the whole list converges.
     */
    async recordVersionChanges(input: { modelId: string; changes: VersionChange[] }): Promise<void> {
      const i = parse(
        z.object({ modelId: modelIdSchema, changes: versionChangesSchema }),
        input,
        'recordVersionChanges',
      );
      await mapFailures(async () => {
        for (const c of i.changes) await applyChange(i.modelId, c);
      });
    },

    /**
     * A bare stage write, kept for histories recorded before lifecycle events (they still
     * schedule it): applied as the lifecycle event that makes that move, so it obeys the
     * same table. Setting the stage a version already has changes nothing.
     */
    async setStage(input: {
      modelId: string;
      version: number;
      stage: Stage;
      by?: string;
      reason?: string;
    }): Promise<void> {
      const i = parse(versionRef.extend({ stage: stageSchema, ...noteFields }), input, 'setStage');
      await mapFailures(async () => {
        const { stage } = await registry.getVersion(i.modelId, i.version);
        if (stage === i.stage) return;
        const event = eventForStageChange(stage, i.stage);
        if (!event) throw new IllegalVersionTransitionError(i.modelId, i.version, stage, `setStage ${i.stage}`);
        await applyEvent(i.modelId, i.version, event, noteOf(i));
      });
    },

    /** A bare alias write of older histories: applied as the event that gives the version that alias. */
    async setAlias(input: {
      modelId: string;
      alias: Alias;
      version: number;
      by?: string;
      reason?: string;
    }): Promise<void> {
      const i = parse(
        z.object({ modelId: modelIdSchema, alias: aliasSchema, version: versionNumberSchema, ...noteFields }),
        input,
        'setAlias',
      );
      await mapFailures(() => registry.applyVersionEvent(i.modelId, i.version, eventForAlias(i.alias), noteOf(i)));
    },

    async recordRolloutOutcome(input: {
      modelId: string;
      version: number;
      outcome: RolloutOutcomeInput;
    }): Promise<void> {
      const i = parse(versionRef.extend({ outcome: rolloutOutcomeSchema }), input, 'recordRolloutOutcome');
      await mapFailures(() => registry.recordRollout(i.modelId, i.version, i.outcome));
    },
  };
}

export type RegistryActivities = ReturnType<typeof createRegistryActivities>;
