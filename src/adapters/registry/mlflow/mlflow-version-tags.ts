import { modelVersionSchema, type Lineage, type ModelVersion } from '../../../domain/records/index.js';
import { CorruptManifestError } from '../registry-errors.js';

/**
 * How a version's record maps onto MLflow. The record is kept in model-version tags (the
 * JSON ones are the source of truth, parsed with the same schema as the local manifests);
 * the plain ones mirror single fields so MLflow's UI and `model-versions/search` show them.
 */
export const Tag = {
  /** On the registered model: created by ct-flywheel (listModels lists only these). */
  managed: 'ct.managed',
  /** On the registered model: every alias move, JSON (AliasChange[]). */
  aliasHistory: 'ct.alias_history',
  schemaVersion: 'ct.schema_version',
  /** The idempotency key, on the version and on its run (registration searches by it). */
  cycleId: 'ct.cycle_id',
  artifactSha256: 'ct.artifact_sha256',
  artifactSizeBytes: 'ct.artifact_size_bytes',
  createdAt: 'ct.created_at',
  lineage: 'ct.lineage',
  /** JSON StageChange[]; the stage is its last entry, `ct.stage` mirrors it. */
  stageHistory: 'ct.stage_history',
  stage: 'ct.stage',
  approval: 'ct.approval',
  approvalDecision: 'ct.approval_decision',
  rollout: 'ct.rollout',
  rolloutOutcome: 'ct.rollout_outcome',
  snapshotId: 'ct.snapshot_id',
  snapshotSha256: 'ct.snapshot_sha256',
  gateDecision: 'ct.gate_decision',
  codeVersion: 'ct.code_version',
  trigger: 'ct.trigger',
} as const;

export interface KeyValue {
  key: string;
  value: string;
}

const json = (v: unknown) => JSON.stringify(v);

/** Every tag of a new version (its stage history holds the registration). */
export function versionTags(m: Omit<ModelVersion, 'version'>): KeyValue[] {
  const tags: Record<string, string> = {
    [Tag.schemaVersion]: String(m.schemaVersion),
    [Tag.cycleId]: m.cycleId,
    [Tag.artifactSha256]: m.artifact.sha256,
    [Tag.artifactSizeBytes]: String(m.artifact.sizeBytes),
    [Tag.createdAt]: m.createdAt,
    [Tag.lineage]: json(m.lineage),
    [Tag.stageHistory]: json(m.stageHistory),
    [Tag.stage]: m.stage,
    [Tag.snapshotId]: m.lineage.dataset.snapshotId,
    [Tag.snapshotSha256]: m.lineage.dataset.sha256,
    [Tag.gateDecision]: m.lineage.gate?.decision ?? 'none',
    [Tag.codeVersion]: m.lineage.codeVersion,
    [Tag.trigger]: m.lineage.trigger.kind,
  };
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/** The tags that record a stage change: the history first (the truth), then the mirror. */
export const stageTags = (m: ModelVersion): KeyValue[] => [
  { key: Tag.stageHistory, value: json(m.stageHistory) },
  { key: Tag.stage, value: m.stage },
];

export const approvalTags = (m: ModelVersion): KeyValue[] =>
  m.approval
    ? [
        { key: Tag.approval, value: json(m.approval) },
        { key: Tag.approvalDecision, value: m.approval.decision },
      ]
    : [];

export const rolloutTags = (m: ModelVersion): KeyValue[] =>
  m.rollout
    ? [
        { key: Tag.rollout, value: json(m.rollout) },
        { key: Tag.rolloutOutcome, value: m.rollout.outcome },
      ]
    : [];

/** True when MLflow's version was registered by ct-flywheel (it carries a cycle id). */
export const isManagedVersion = (tags: Readonly<Record<string, string>>): boolean => Tag.cycleId in tags;

/**
 * Rebuilds the version record from its tags; a version whose tags do not parse (edited by
 * hand, or not registered by ct-flywheel) is a CorruptManifestError naming it.
 */
export function manifestFromTags(
  modelId: string,
  version: number,
  tags: Readonly<Record<string, string>>,
  where: string,
): ModelVersion {
  if (!isManagedVersion(tags))
    throw new CorruptManifestError(
      where,
      `it has no ${Tag.cycleId} tag: it was not registered by ct-flywheel; register versions of this model through the flywheel`,
    );
  const parseJson = (key: string): unknown => {
    const text = tags[key];
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new CorruptManifestError(where, `tag ${key} is not JSON (${(err as Error).message})`);
    }
  };
  const stageHistory = parseJson(Tag.stageHistory) as { stage?: unknown }[] | undefined;
  const record = {
    schemaVersion: Number(tags[Tag.schemaVersion]),
    modelId,
    version,
    cycleId: tags[Tag.cycleId],
    createdAt: tags[Tag.createdAt],
    artifact: { sha256: tags[Tag.artifactSha256], sizeBytes: Number(tags[Tag.artifactSizeBytes]) },
    stage: Array.isArray(stageHistory) ? stageHistory.at(-1)?.stage : undefined,
    stageHistory,
    lineage: parseJson(Tag.lineage),
    ...(tags[Tag.approval] === undefined ? {} : { approval: parseJson(Tag.approval) }),
    ...(tags[Tag.rollout] === undefined ? {} : { rollout: parseJson(Tag.rollout) }),
  };
  const parsed = modelVersionSchema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CorruptManifestError(where, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** MLflow keys allow letters, digits, `_ - . / ` and space; anything else becomes `_`. */
const mlflowKey = (key: string) => key.replace(/[^A-Za-z0-9_\-./ ]/g, '_').slice(0, 250);

/** Run params for MLflow's run view: trainer, hyperparameters, code and data (values cut to MLflow's 6000). */
export function runParams(cycleId: string, lineage: Lineage): KeyValue[] {
  const params: Record<string, string> = {
    'ct.cycle_id': cycleId,
    'trainer.kind': lineage.trainer.kind,
    ...(lineage.trainer.name ? { 'trainer.name': lineage.trainer.name } : {}),
    code_version: lineage.codeVersion,
    'dataset.snapshot_id': lineage.dataset.snapshotId,
    'dataset.sha256': lineage.dataset.sha256,
    'trigger.kind': lineage.trigger.kind,
  };
  for (const [k, v] of Object.entries(lineage.trainer.hyperparameters)) {
    params[mlflowKey(`hp.${k}`)] = typeof v === 'string' ? v : json(v);
  }
  return Object.entries(params).map(([key, value]) => ({ key, value: value.slice(0, 6000) }));
}

/**
 * Run metrics: held-out and training metrics, the gate's latency, and the feature importance
 * (`importance.<feature>`, so MLflow's run view charts it). The full record, importance and
 * calibration included, is the `ct.lineage` tag (calibration curves are capped at 400 knots
 * to stay well inside MLflow's 100 000-character tag values).
 */
export function runMetrics(lineage: Lineage, atMs: number): { key: string; value: number; timestamp: number }[] {
  const metrics: [string, number][] = [
    ...Object.entries(lineage.metrics.heldOut).map(([k, v]) => [`heldout.${k}`, v] as [string, number]),
    ...Object.entries(lineage.metrics.training ?? {}).map(([k, v]) => [`training.${k}`, v] as [string, number]),
    ...Object.entries(lineage.importance?.byFeature ?? {}).map(([k, v]) => [`importance.${k}`, v] as [string, number]),
  ];
  if (lineage.gate?.latencyP95Ms !== undefined) metrics.push(['gate.latency_p95_ms', lineage.gate.latencyP95Ms]);
  return metrics
    .filter(([, v]) => Number.isFinite(v))
    .map(([k, value]) => ({ key: mlflowKey(k), value, timestamp: atMs }));
}
