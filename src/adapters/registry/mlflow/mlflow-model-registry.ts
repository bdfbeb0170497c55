import { z } from 'zod';
import {
  approvalRecordSchema,
  modelIdSchema,
  rolloutOutcomeSchema,
  type Alias,
  type ApprovalRecord,
  type ModelVersion,
  type RolloutOutcomeInput,
} from '../../../domain/records/index.js';
import {
  applyVersionEvent,
  UNREGISTERED,
  VersionEvent,
  versionEventSchema,
  type AliasEffect,
} from '../../../domain/records/version-lifecycle.js';
import { aliasChangeSchema, planAliasMoves } from '../alias-moves.js';
import { artifactIdPath, sha256Hex } from '../artifact-id.js';
import { compareManifests } from '../compare-versions.js';
import type {
  AliasChange,
  AliasState,
  ArtifactRef,
  ChangeNote,
  ModelRegistry,
  RegisterVersionInput,
  RegisterVersionResult,
  VersionComparison,
  VersionEventResult,
} from '../model-registry.js';
import {
  ArtifactIntegrityError,
  ArtifactNotFoundError,
  CorruptManifestError,
  RegistryUnavailableError,
  VersionNotFoundError,
} from '../registry-errors.js';
import { parseRegistration, parseRegistryInput } from '../registry-input.js';
import { stepVersion } from '../version-step.js';
import { claimCycle, cycleFilter, endRun, filterLiteral } from './cycle-claim.js';
import { KeyedMutex } from './keyed-mutex.js';
import { isMlflowError, MlflowRest } from './mlflow-rest.js';
import {
  createExperimentAnswer,
  createRunAnswer,
  emptyAnswer,
  getExperimentAnswer,
  getModelAnswer,
  getVersionAnswer,
  searchModelsAnswer,
  searchVersionsAnswer,
  type MlflowModelVersion,
  type MlflowRunInfo,
} from './mlflow-schemas.js';
import {
  approvalTags,
  isManagedVersion,
  manifestFromTags,
  rolloutTags,
  runMetrics,
  runParams,
  stageTags,
  Tag,
  versionTags,
  type KeyValue,
} from './mlflow-version-tags.js';

export interface MlflowModelRegistryOptions {
  /** The MLflow tracking server, e.g. http://127.0.0.1:5000 (its artifact proxy must be on). */
  readonly trackingUri: string;
  /** Clock for record timestamps and run times (tests pin it). */
  readonly now?: () => Date;
  /** How long a registration waits for a concurrent attempt of its cycle (default 30 s). */
  readonly claimWaitMs?: number;
  /** When a cycle's RUNNING run without a version counts as a crashed attempt (default 60 s). */
  readonly claimStaleMs?: number;
  readonly requestTimeoutMs?: number;
}

/** Content-addressed blobs live beside the experiments' artifacts, under the proxy's root. */
const BLOB_ROOT = 'ct-flywheel/blobs/sha256';
/** MLflow caps registry tag values at 100 000 characters; the alias history keeps its newest moves within it. */
const ALIAS_HISTORY_MAX_CHARS = 90_000;
const experimentName = (modelId: string) => `ct-flywheel/${modelId}`;
const aliasHistorySchema = z.array(aliasChangeSchema);

/**
 * The model registry on a MLflow tracking server (src/adapters/registry/README.md has the
 * mapping): a model is a registered model, a version is a model version created inside a
 * run of the experiment `ct-flywheel/<model>`, champion/challenger are MLflow aliases, and
 * the version record lives in `ct.*` version tags. Artifacts go through MLflow's artifact
 * proxy, content-addressed, and are re-hashed on every read exactly as the local registry
 * does (ArtifactIntegrityError on a mismatch).
 */
export class MlflowModelRegistry implements ModelRegistry {
  private readonly rest: MlflowRest;
  private readonly now: () => Date;
  private readonly writers = new KeyedMutex();
  private readonly experiments = new Map<string, string>();
  private readonly ensuredModels = new Set<string>();

  constructor(private readonly opts: MlflowModelRegistryOptions) {
    this.rest = new MlflowRest(opts.trackingUri.replace(/\/+$/, ''), opts.requestTimeoutMs);
    this.now = opts.now ?? (() => new Date());
  }

  get trackingUri(): string {
    return this.rest.trackingUri;
  }

  /** Where an artifact lives under the artifact proxy (tests tamper with it there). */
  static blobPath(sha256: string): string {
    return `${BLOB_ROOT}/${artifactIdPath(sha256)}`;
  }

  async putArtifact(bytes: Uint8Array): Promise<ArtifactRef> {
    const sha256 = sha256Hex(bytes);
    // An intact copy is kept; a damaged one is replaced by the good bytes.
    const intact = await this.getArtifact(sha256).then(
      () => true,
      () => false,
    );
    if (!intact) await this.rest.putArtifact(MlflowModelRegistry.blobPath(sha256), bytes);
    return { sha256, sizeBytes: bytes.byteLength };
  }

  async getArtifact(sha256: string): Promise<Uint8Array> {
    const path = MlflowModelRegistry.blobPath(sha256);
    const bytes = await this.rest.getArtifact(path);
    if (!bytes) throw new ArtifactNotFoundError(sha256);
    const actual = sha256Hex(bytes);
    if (actual !== sha256) throw new ArtifactIntegrityError(sha256, actual, `${this.trackingUri} artifact ${path}`);
    return bytes;
  }

  async hasArtifact(sha256: string): Promise<boolean> {
    const path = MlflowModelRegistry.blobPath(sha256);
    const files = await this.rest.listArtifacts(path.slice(0, path.lastIndexOf('/')));
    return files.some((f) => f.path.split('/').at(-1) === sha256);
  }

  async registerVersion(input: RegisterVersionInput): Promise<RegisterVersionResult> {
    const { modelId, cycleId, lineage } = parseRegistration(input);
    filterLiteral(cycleId, 'cycleId');
    // Verifies the artifact exists and is intact before anything points at it.
    const bytes = await this.getArtifact(input.artifactSha256);
    return this.writers.run(modelId, async () => {
      await this.ensureRegisteredModel(modelId);
      const existing = await this.findVersionByCycle(modelId, cycleId);
      if (existing) return { version: existing, created: false };
      const run = await this.createRun(await this.experimentOf(modelId), cycleId);
      try {
        const claim = () =>
          claimCycle(this.rest, run, cycleId, () => this.findVersionByCycle(modelId, cycleId), {
            waitMs: this.opts.claimWaitMs ?? 30_000,
            staleMs: this.opts.claimStaleMs ?? 60_000,
            now: () => this.now().getTime(),
          });
        const first = await claim();
        if (first !== 'won') return await this.abandonRun(run, first);
        const at = this.now();
        await this.rest.putArtifact(`${proxyPathOf(run)}/model/${artifactFileName(lineage.model?.format)}`, bytes);
        await this.rest.post(
          'runs/log-batch',
          { run_id: run.run_id, params: runParams(cycleId, lineage), metrics: runMetrics(lineage, at.getTime()) },
          emptyAnswer,
        );
        // Checked again right before the commit point: an attempt that took over a stale run, or a slow one, may have finished.
        const second = await claim();
        if (second !== 'won') return await this.abandonRun(run, second);
        const done = await this.findVersionByCycle(modelId, cycleId);
        if (done) return await this.abandonRun(run, done);
        const { stage } = applyVersionEvent({ modelId, version: 0, stage: UNREGISTERED }, VersionEvent.registered);
        const record: Omit<ModelVersion, 'version'> = {
          schemaVersion: 1,
          modelId,
          cycleId,
          createdAt: at.toISOString(),
          artifact: { sha256: input.artifactSha256, sizeBytes: bytes.byteLength },
          stage,
          stageHistory: [{ stage, at: at.toISOString(), reason: 'registered' }],
          lineage,
        };
        const { model_version } = await this.rest.post(
          'model-versions/create',
          {
            name: modelId,
            source: `${run.artifact_uri}/model`,
            run_id: run.run_id,
            tags: versionTags(record),
            description: `ct-flywheel cycle ${cycleId}`,
          },
          getVersionAnswer,
        );
        await endRun(this.rest, run.run_id, 'FINISHED', this.now().getTime());
        return { version: { ...record, version: model_version.version }, created: true };
      } catch (err) {
        await endRun(this.rest, run.run_id, 'FAILED', this.now().getTime()).catch(() => undefined);
        throw err;
      }
    });
  }

  async getVersion(modelId: string, version: number): Promise<ModelVersion> {
    return this.decode(await this.readVersion(modelId, version));
  }

  async findVersionByCycle(modelId: string, cycleId: string): Promise<ModelVersion | null> {
    const found = await this.searchVersions(`name = ${filterLiteral(modelId, 'modelId')} and ${cycleFilter(cycleId)}`);
    const managed = found.filter((v) => isManagedVersion(v.tags)).sort((a, b) => a.version - b.version);
    return managed[0] ? this.decode(managed[0]) : null;
  }

  async listVersions(modelId: string): Promise<ModelVersion[]> {
    const found = await this.searchVersions(`name = ${filterLiteral(modelId, 'modelId')}`);
    return found
      .filter((v) => isManagedVersion(v.tags))
      .sort((a, b) => a.version - b.version)
      .map((v) => this.decode(v));
  }

  async listModels(): Promise<string[]> {
    const names: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.rest.get(
        'registered-models/search',
        { max_results: 1000, page_token: pageToken },
        searchModelsAnswer,
      );
      for (const m of page.registered_models)
        if (m.tags[Tag.managed] === 'true' && modelIdSchema.safeParse(m.name).success) names.push(m.name);
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return names.sort();
  }

  async compareVersions(modelId: string, a: number, b: number): Promise<VersionComparison> {
    return compareManifests(await this.getVersion(modelId, a), await this.getVersion(modelId, b));
  }

  async applyVersionEvent(
    modelId: string,
    version: number,
    event: VersionEvent,
    note: ChangeNote = {},
  ): Promise<VersionEventResult> {
    const e = parseRegistryInput(versionEventSchema, event, 'event');
    return this.writers.run(modelId, async () => {
      const raw = await this.readVersion(modelId, version);
      const current = this.decode(raw);
      const at = this.now().toISOString();
      const { next, transition: t } = stepVersion(current, e, at, note);
      // The history first (the truth), then its mirror: a retry after a crash in between
      // finds the stage applied and rewrites the mirror and the aliases.
      if (next !== current || raw.tags[Tag.stage] !== current.stage) await this.setVersionTags(next, stageTags(next));
      const aliases = await this.moveAliases(modelId, version, t.aliases, { at, ...note });
      return { version: next, aliases, changed: t.changed };
    });
  }

  recordApproval(modelId: string, version: number, approval: ApprovalRecord): Promise<ModelVersion> {
    const a = parseRegistryInput(approvalRecordSchema, approval, 'approval');
    return this.update(modelId, version, (m) => ({ ...m, approval: a }), approvalTags);
  }

  recordRollout(modelId: string, version: number, outcome: RolloutOutcomeInput): Promise<ModelVersion> {
    const o = parseRegistryInput(rolloutOutcomeSchema, outcome, 'rollout outcome');
    return this.update(modelId, version, (m) => ({ ...m, rollout: o }), rolloutTags);
  }

  async getAlias(modelId: string, alias: Alias): Promise<ModelVersion | null> {
    const v = (await this.getAliases(modelId)).aliases[alias];
    return v === undefined ? null : this.getVersion(modelId, v);
  }

  async getAliases(modelId: string): Promise<AliasState> {
    let model;
    try {
      ({ registered_model: model } = await this.rest.get('registered-models/get', { name: modelId }, getModelAnswer));
    } catch (err) {
      if (isMlflowError(err, 'RESOURCE_DOES_NOT_EXIST')) return { aliases: {}, history: [] };
      throw err;
    }
    const aliases: Partial<Record<Alias, number>> = {};
    for (const a of model.aliases) if (a.alias === 'champion' || a.alias === 'challenger') aliases[a.alias] = a.version;
    return { aliases, history: this.aliasHistory(modelId, model.tags[Tag.aliasHistory]) };
  }

  /** Nothing to release: every call is one HTTP request. Present so callers treat both registries alike. */
  close(): void {}

  private aliasHistory(modelId: string, text: string | undefined): AliasChange[] {
    if (text === undefined) return [];
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = aliasHistorySchema.safeParse(json);
    if (!parsed.success)
      throw new CorruptManifestError(
        `${this.trackingUri} registered model ${modelId} tag ${Tag.aliasHistory}`,
        parsed.error.issues[0]?.message ?? 'not JSON',
      );
    return parsed.data;
  }

  /**
   * Applies a transition's alias effects to `version`: the history tag first, then the
   * aliases. A retry after a crash in between plans the same move again; it is recorded
   * once (a move equal to the alias's last recorded one is not appended twice).
   */
  private async moveAliases(
    modelId: string,
    version: number,
    effects: Partial<Record<Alias, AliasEffect>>,
    note: ChangeNote & { at: string },
  ): Promise<AliasState> {
    const state = await this.getAliases(modelId);
    const { aliases, changes } = planAliasMoves(state.aliases, version, effects, note);
    if (changes.length === 0) return state;
    const history = [...state.history];
    for (const c of changes) {
      const last = history.findLast((h) => h.alias === c.alias);
      if (!last || last.version !== c.version || last.previous !== c.previous) history.push(c);
    }
    if (history.length > state.history.length) await this.writeAliasHistory(modelId, history);
    for (const c of changes) {
      if (c.version === null) await this.rest.delete('registered-models/alias', { name: modelId, alias: c.alias });
      else
        await this.rest.post(
          'registered-models/alias',
          { name: modelId, alias: c.alias, version: String(c.version) },
          emptyAnswer,
        );
    }
    return { aliases, history };
  }

  private async writeAliasHistory(modelId: string, history: AliasChange[]): Promise<void> {
    let kept = history;
    while (kept.length > 1 && JSON.stringify(kept).length > ALIAS_HISTORY_MAX_CHARS) kept = kept.slice(1);
    await this.rest.post(
      'registered-models/set-tag',
      { name: modelId, key: Tag.aliasHistory, value: JSON.stringify(kept) },
      emptyAnswer,
    );
  }

  private update(
    modelId: string,
    version: number,
    change: (m: ModelVersion) => ModelVersion,
    tags: (m: ModelVersion) => KeyValue[],
  ): Promise<ModelVersion> {
    return this.writers.run(modelId, async () => {
      const next = change(await this.getVersion(modelId, version));
      await this.setVersionTags(next, tags(next));
      return next;
    });
  }

  private async setVersionTags(m: ModelVersion, tags: KeyValue[]): Promise<void> {
    for (const t of tags)
      await this.rest.post(
        'model-versions/set-tag',
        { name: m.modelId, version: String(m.version), key: t.key, value: t.value },
        emptyAnswer,
      );
  }

  private async readVersion(modelId: string, version: number): Promise<MlflowModelVersion> {
    try {
      return (await this.rest.get('model-versions/get', { name: modelId, version }, getVersionAnswer)).model_version;
    } catch (err) {
      if (isMlflowError(err, 'RESOURCE_DOES_NOT_EXIST')) throw new VersionNotFoundError(modelId, version);
      throw err;
    }
  }

  private decode(v: MlflowModelVersion): ModelVersion {
    return manifestFromTags(v.name, v.version, v.tags, `${this.trackingUri} model ${v.name} version ${v.version}`);
  }

  private async searchVersions(filter: string): Promise<MlflowModelVersion[]> {
    const found: MlflowModelVersion[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.rest.get(
        'model-versions/search',
        { filter, max_results: 1000, page_token: pageToken },
        searchVersionsAnswer,
      );
      found.push(...page.model_versions);
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    return found;
  }

  /** Creates the registered model once; a duplicate name is MLflow's 400 RESOURCE_ALREADY_EXISTS, not a 409. */
  private async ensureRegisteredModel(modelId: string): Promise<void> {
    if (this.ensuredModels.has(modelId)) return;
    const managed = { key: Tag.managed, value: 'true' };
    try {
      await this.rest.post(
        'registered-models/create',
        { name: modelId, tags: [managed], description: 'Registered by ct-flywheel; versions carry ct.* tags.' },
        emptyAnswer,
      );
    } catch (err) {
      if (!isMlflowError(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
      await this.rest.post('registered-models/set-tag', { name: modelId, ...managed }, emptyAnswer);
    }
    this.ensuredModels.add(modelId);
  }

  /** The experiment holding a model's runs, `ct-flywheel/<model>`, created on first use. */
  private async experimentOf(modelId: string): Promise<string> {
    const cached = this.experiments.get(modelId);
    if (cached) return cached;
    const name = experimentName(modelId);
    let id: string;
    try {
      id = (await this.rest.post('experiments/create', { name }, createExperimentAnswer)).experiment_id;
    } catch (err) {
      if (!isMlflowError(err, 'RESOURCE_ALREADY_EXISTS')) throw err;
      const { experiment } = await this.rest.get(
        'experiments/get-by-name',
        { experiment_name: name },
        getExperimentAnswer,
      );
      if (experiment.lifecycle_stage === 'deleted')
        throw new RegistryUnavailableError(
          `MLflow experiment "${name}" (id ${experiment.experiment_id}) is deleted, so no run can be created in it; restore it (\`mlflow experiments restore --experiment-id ${experiment.experiment_id}\`)`,
        );
      id = experiment.experiment_id;
    }
    this.experiments.set(modelId, id);
    return id;
  }

  private async createRun(experimentId: string, cycleId: string): Promise<MlflowRunInfo> {
    const { run } = await this.rest.post(
      'runs/create',
      {
        experiment_id: experimentId,
        run_name: cycleId.slice(0, 250),
        start_time: this.now().getTime(),
        tags: [{ key: Tag.cycleId, value: cycleId }],
      },
      createRunAnswer,
    );
    proxyPathOf(run.info);
    return run.info;
  }

  /** Another attempt registered the cycle: this attempt's run is deleted, its version returned. */
  private async abandonRun(run: MlflowRunInfo, winner: ModelVersion): Promise<RegisterVersionResult> {
    await this.rest.post('runs/delete', { run_id: run.run_id }, emptyAnswer);
    return { version: winner, created: false };
  }
}

/** The artifact-proxy path of a run's artifacts (`mlflow-artifacts:/1/<run>/artifacts` → `1/<run>/artifacts`). */
function proxyPathOf(run: MlflowRunInfo): string {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.+)$/.exec(run.artifact_uri);
  if (!m?.[1])
    throw new RegistryUnavailableError(
      `MLflow stores the runs of experiment ${run.experiment_id} at ${run.artifact_uri}, not behind its artifact proxy; start the server with --artifacts-destination (proxied artifacts) and use a new experiment`,
    );
  return m[1].replace(/\/+$/, '');
}

const artifactFileName = (format: string | undefined) => (format === 'onnx' ? 'model.onnx' : 'model.json');
