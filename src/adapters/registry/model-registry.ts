import type {
  Alias,
  ApprovalRecord,
  LineageInput,
  ModelVersion,
  RolloutOutcomeInput,
} from '../../domain/records/index.js';
import type { VersionEvent } from '../../domain/records/version-lifecycle.js';

/**
 * The model registry port. The `local` default (LocalModelRegistry) keeps everything in a
 * directory; a remote registry (MLflow, S3 + a database, …) is another implementation of
 * this interface. Artifacts are content-addressed: their id is their sha256, re-checked on
 * every read, so a tampered artifact never reaches a gateway.
 */
export interface ModelRegistry {
  /** Stores bytes under their sha256 (no-op when already stored intact). */
  putArtifact(bytes: Uint8Array): Promise<ArtifactRef>;
  /** Returns the bytes after re-hashing them; throws ArtifactIntegrityError on mismatch, ArtifactNotFoundError when absent. */
  getArtifact(sha256: string): Promise<Uint8Array>;
  hasArtifact(sha256: string): Promise<boolean>;

  /**
   * Registers a version for a training cycle. Idempotent by `cycleId`: a retry after a
   * crash returns the version the first attempt committed, with `created: false`.
   * Version numbers per model are 1, 2, 3, … with no gaps.
   */
  registerVersion(input: RegisterVersionInput): Promise<RegisterVersionResult>;
  getVersion(modelId: string, version: number): Promise<ModelVersion>;
  findVersionByCycle(modelId: string, cycleId: string): Promise<ModelVersion | null>;
  listVersions(modelId: string): Promise<ModelVersion[]>;
  listModels(): Promise<string[]>;
  compareVersions(modelId: string, a: number, b: number): Promise<VersionComparison>;

  /**
   * Applies a lifecycle event (domain/records/version-lifecycle.ts) to a version: its stage
   * and the aliases the event moves change together, under the model's writer lock. An event
   * the table does not allow from the version's stage throws IllegalVersionTransitionError
   * and changes nothing; a retry of an event already applied changes nothing else (the
   * aliases are written again if a crash lost them). There is no other way to change a
   * stage or an alias.
   */
  applyVersionEvent(
    modelId: string,
    version: number,
    event: VersionEvent,
    note?: ChangeNote,
  ): Promise<VersionEventResult>;
  recordApproval(modelId: string, version: number, approval: ApprovalRecord): Promise<ModelVersion>;
  recordRollout(modelId: string, version: number, outcome: RolloutOutcomeInput): Promise<ModelVersion>;

  getAlias(modelId: string, alias: Alias): Promise<ModelVersion | null>;
  getAliases(modelId: string): Promise<AliasState>;
}

export interface VersionEventResult {
  readonly version: ModelVersion;
  readonly aliases: AliasState;
  /** False when the event had already been applied (a retry): nothing but lost alias writes changed. */
  readonly changed: boolean;
}

export interface ArtifactRef {
  readonly sha256: string;
  readonly sizeBytes: number;
}

export interface RegisterVersionInput {
  readonly modelId: string;
  readonly cycleId: string;
  readonly artifactSha256: string;
  readonly lineage: LineageInput;
}

export interface RegisterVersionResult {
  readonly version: ModelVersion;
  /** False when the cycle had already registered this version (a retry). */
  readonly created: boolean;
}

export interface ChangeNote {
  readonly by?: string;
  readonly reason?: string;
}

export interface AliasChange {
  readonly alias: Alias;
  readonly version: number | null;
  readonly previous: number | null;
  readonly at: string;
  readonly by?: string;
  readonly reason?: string;
}

export interface AliasState {
  readonly aliases: Partial<Record<Alias, number>>;
  readonly history: readonly AliasChange[];
}

export interface VersionComparison {
  readonly a: ModelVersion;
  readonly b: ModelVersion;
  /** b − a for every held-out metric both versions have. */
  readonly metricDeltas: Readonly<Record<string, number>>;
  readonly sameArtifact: boolean;
  readonly sameDataset: boolean;
  readonly hyperparameterChanges: Readonly<Record<string, { a: unknown; b: unknown }>>;
}
