import { mkdir } from 'node:fs/promises';
import {
  modelIdSchema,
  approvalRecordSchema,
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
import type {
  AliasState,
  ArtifactRef,
  ChangeNote,
  ModelRegistry,
  RegisterVersionInput,
  RegisterVersionResult,
  VersionComparison,
  VersionEventResult,
} from '../model-registry.js';
import { VersionNotFoundError } from '../registry-errors.js';
import { AliasFile } from './alias-file.js';
import { BlobStore } from './blob-store.js';
import { compareManifests } from '../compare-versions.js';
import { planAliasMoves } from '../alias-moves.js';
import { parseRegistration, parseRegistryInput } from '../registry-input.js';
import { stepVersion } from '../version-step.js';
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
    const { modelId, lineage } = parseRegistration(input);
    // Verifies the artifact exists and is intact before anything points at it.
    const bytes = await this.blobs.get(input.artifactSha256);
    return this.withModelLock(modelId, async () => {
      const index = await this.refreshIndex(modelId);
      const existing = index.byCycle.get(input.cycleId);
      if (existing !== undefined) return { version: await this.getVersion(modelId, existing), created: false };
      const at = this.now().toISOString();
      const { stage } = applyVersionEvent(
        { modelId, version: index.maxVersion + 1, stage: UNREGISTERED },
        VersionEvent.registered,
      );
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

  async applyVersionEvent(
    modelId: string,
    version: number,
    event: VersionEvent,
    note: ChangeNote = {},
  ): Promise<VersionEventResult> {
    const e = parseRegistryInput(versionEventSchema, event, 'event');
    return this.withModelLock(modelId, async () => {
      const current = await this.getVersion(modelId, version);
      const at = this.now().toISOString();
      const { next, transition: t } = stepVersion(current, e, at, note);
      // The manifest first: a crash before the alias write leaves a stage that a retry
      // recognises as applied, and the retry writes the aliases.
      if (next !== current) await this.files.write(next);
      const aliases = await this.moveAliases(modelId, version, t.aliases, { at, ...note });
      return { version: next, aliases, changed: t.changed };
    });
  }

  recordApproval(modelId: string, version: number, approval: ApprovalRecord): Promise<ModelVersion> {
    const a = parseRegistryInput(approvalRecordSchema, approval, 'approval');
    return this.update(modelId, version, (m) => ({ ...m, approval: a }));
  }

  recordRollout(modelId: string, version: number, outcome: RolloutOutcomeInput): Promise<ModelVersion> {
    const o = parseRegistryInput(rolloutOutcomeSchema, outcome, 'rollout outcome');
    return this.update(modelId, version, (m) => ({ ...m, rollout: o }));
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

  /** Applies a transition's alias effects to `version`, keeping the history; call under the model lock. */
  private async moveAliases(
    modelId: string,
    version: number,
    effects: Partial<Record<Alias, AliasEffect>>,
    note: ChangeNote & { at: string },
  ): Promise<AliasState> {
    const state = await this.aliasFile.read(modelId);
    const { aliases, changes } = planAliasMoves(state.aliases, version, effects, note);
    if (changes.length === 0) return state;
    const next: AliasState = { aliases, history: [...state.history, ...changes] };
    await this.aliasFile.write(modelId, next);
    return next;
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
