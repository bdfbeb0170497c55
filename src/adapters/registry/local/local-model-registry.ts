import { mkdir } from 'node:fs/promises';
import {
  lineageSchema,
  modelIdSchema,
  stageSchema,
  approvalRecordSchema,
  rolloutOutcomeSchema,
  aliasSchema,
  type Alias,
  type ApprovalRecord,
  type ModelVersion,
  type RolloutOutcomeInput,
  type Stage,
} from '../../../domain/records/index.js';
import type { z } from 'zod';
import type { AliasState, ArtifactRef, ChangeNote, ModelRegistry, RegisterVersionInput, RegisterVersionResult, VersionComparison } from '../model-registry.js';
import { RegistryInputError, VersionNotFoundError } from '../registry-errors.js';
import { AliasFile } from './alias-file.js';
import { BlobStore } from './blob-store.js';
import { compareManifests } from './compare-versions.js';
import { HostLock } from './host-lock.js';
import { ManifestFiles } from './manifest-files.js';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface LocalModelRegistryOptions {
  /** Directory holding `blobs/` and `models/`; shared by every worker on the host (or a shared mount). */
  readonly root: string;
  /** Clock for record timestamps (tests pin it). */
  readonly now?: () => Date;
  readonly lockTimeoutMs?: number;
}

/** Which cycle made which version, per model; rebuilt incrementally from the manifests. */
interface CycleIndex {
  maxVersion: number;
  byCycle: Map<string, number>;
}

const parseOr = <T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, what: string): T => {
  const r = schema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new RegistryInputError(`invalid ${what}${i && i.path.length ? ` at ${i.path.join('.')}` : ''}: ${i?.message ?? 'invalid'}`);
  }
  return r.data;
};

/**
 * The embedded registry: a directory of content-addressed blobs and one JSON manifest per
 * version. Every write is atomic (temp + fsync + rename), writers to one model are
 * serialized by a kernel-released lock, and registration is idempotent by cycle id.
 */
export class LocalModelRegistry implements ModelRegistry {
  private readonly blobs: BlobStore;
  private readonly files: ManifestFiles;
  private readonly aliasFile: AliasFile;
  private readonly locks = new Map<string, HostLock>();
  private readonly indexes = new Map<string, CycleIndex>();
  private readonly now: () => Date;

  constructor(private readonly opts: LocalModelRegistryOptions) {
    this.blobs = new BlobStore(opts.root);
    this.files = new ManifestFiles(opts.root);
    this.aliasFile = new AliasFile((id) => this.files.modelDir(id));
    this.now = opts.now ?? (() => new Date());
  }

  putArtifact(bytes: Uint8Array): Promise<ArtifactRef> {
    return this.blobs.put(bytes);
  }

  getArtifact(sha256: string): Promise<Uint8Array> {
    return this.blobs.get(sha256);
  }

  hasArtifact(sha256: string): Promise<boolean> {
    return this.blobs.has(sha256);
  }

  async registerVersion(input: RegisterVersionInput): Promise<RegisterVersionResult> {
    const modelId = parseOr(modelIdSchema, input.modelId, 'modelId');
    const lineage = parseOr(lineageSchema, input.lineage, 'lineage');
    const stage = parseOr(stageSchema, input.stage ?? 'candidate', 'stage');
    if (!input.cycleId) throw new RegistryInputError('cycleId is required: it makes registration idempotent');
    // Verifies the artifact exists and is intact before anything points at it.
    const bytes = await this.blobs.get(input.artifactSha256);
    return this.withModelLock(modelId, async () => {
      const index = await this.refreshIndex(modelId);
      const existing = index.byCycle.get(input.cycleId);
      if (existing !== undefined) return { version: await this.getVersion(modelId, existing), created: false };
      const at = this.now().toISOString();
      const manifest: ModelVersion = {
        schemaVersion: 1,
        modelId,
        version: index.maxVersion + 1,
        cycleId: input.cycleId,
        createdAt: at,
        artifact: { sha256: input.artifactSha256, sizeBytes: bytes.byteLength },
        stage,
        stageHistory: [{ stage, at, reason: 'registered' }],
        lineage,
      };
      await this.files.write(manifest); // the commit point
      index.maxVersion = manifest.version;
      index.byCycle.set(manifest.cycleId, manifest.version);
      return { version: manifest, created: true };
    });
  }

  async getVersion(modelId: string, version: number): Promise<ModelVersion> {
    const m = await this.files.read(modelId, version);
    if (!m) throw new VersionNotFoundError(modelId, version);
    return m;
  }

  async findVersionByCycle(modelId: string, cycleId: string): Promise<ModelVersion | null> {
    const v = (await this.refreshIndex(modelId)).byCycle.get(cycleId);
    return v === undefined ? null : this.getVersion(modelId, v);
  }

  async listVersions(modelId: string): Promise<ModelVersion[]> {
    const numbers = await this.files.versionNumbers(modelId);
    return Promise.all(numbers.map((n) => this.getVersion(modelId, n)));
  }

  async listModels(): Promise<string[]> {
    const names = await readdir(join(this.opts.root, 'models')).catch(() => [] as string[]);
    return names.filter((n) => modelIdSchema.safeParse(n).success).sort();
  }

  async compareVersions(modelId: string, a: number, b: number): Promise<VersionComparison> {
    return compareManifests(await this.getVersion(modelId, a), await this.getVersion(modelId, b));
  }

  setStage(modelId: string, version: number, stage: Stage, note: ChangeNote = {}): Promise<ModelVersion> {
    const s = parseOr(stageSchema, stage, 'stage');
    return this.update(modelId, version, (m) =>
      m.stage === s ? m : { ...m, stage: s, stageHistory: [...m.stageHistory, { stage: s, at: this.now().toISOString(), ...note }] },
    );
  }

  recordApproval(modelId: string, version: number, approval: ApprovalRecord): Promise<ModelVersion> {
    const a = parseOr(approvalRecordSchema, approval, 'approval');
    return this.update(modelId, version, (m) => ({ ...m, approval: a }));
  }

  recordRollout(modelId: string, version: number, outcome: RolloutOutcomeInput): Promise<ModelVersion> {
    const o = parseOr(rolloutOutcomeSchema, outcome, 'rollout outcome');
    return this.update(modelId, version, (m) => ({ ...m, rollout: o }));
  }

  async setAlias(modelId: string, alias: Alias, version: number | null, note: ChangeNote = {}): Promise<AliasState> {
    const name = parseOr(aliasSchema, alias, 'alias');
    if (version !== null) await this.getVersion(modelId, version);
    return this.withModelLock(modelId, async () => {
      const state = await this.aliasFile.read(modelId);
      const previous = state.aliases[name] ?? null;
      if (previous === version) return state;
      const aliases = { ...state.aliases };
      if (version === null) delete aliases[name];
      else aliases[name] = version;
      const next: AliasState = {
        aliases,
        history: [...state.history, { alias: name, version, previous, at: this.now().toISOString(), ...note }],
      };
      await this.aliasFile.write(modelId, next);
      return next;
    });
  }

  async getAlias(modelId: string, alias: Alias): Promise<ModelVersion | null> {
    const v = (await this.aliasFile.read(modelId)).aliases[alias];
    return v === undefined ? null : this.getVersion(modelId, v);
  }

  getAliases(modelId: string): Promise<AliasState> {
    return this.aliasFile.read(modelId);
  }

  /** Releases the lock databases; the registry is unusable afterwards. */
  close(): void {
    for (const lock of this.locks.values()) lock.close();
    this.locks.clear();
  }

  private update(modelId: string, version: number, change: (m: ModelVersion) => ModelVersion): Promise<ModelVersion> {
    return this.withModelLock(modelId, async () => {
      const current = await this.getVersion(modelId, version);
      const next = change(current);
      if (next !== current) await this.files.write(next);
      return next;
    });
  }

  private async withModelLock<T>(modelId: string, fn: () => Promise<T>): Promise<T> {
    let lock = this.locks.get(modelId);
    if (!lock) {
      await mkdir(this.files.versionsDir(modelId), { recursive: true });
      lock = new HostLock(join(this.files.modelDir(modelId), '.lock.db'), this.opts.lockTimeoutMs);
      this.locks.set(modelId, lock);
    }
    return lock.run(async () => {
      await this.files.sweepDebris(modelId);
      return fn();
    });
  }

  /** Reads only manifests newer than the last seen version: other processes may have added some. */
  private async refreshIndex(modelId: string): Promise<CycleIndex> {
    const index = this.indexes.get(modelId) ?? { maxVersion: 0, byCycle: new Map<string, number>() };
    this.indexes.set(modelId, index);
    const numbers = await this.files.versionNumbers(modelId);
    for (const n of numbers.filter((x) => x > index.maxVersion)) {
      const m = await this.getVersion(modelId, n);
      index.byCycle.set(m.cycleId, m.version);
      index.maxVersion = Math.max(index.maxVersion, n);
    }
    return index;
  }
}
