import type {
  Alias,
  ApprovalRecord,
  LineageInput,
  ModelVersion,
  RolloutOutcomeInput,
  Stage,
} from '../../domain/records/index.js';

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

  /** Moves a version to a stage; setting the stage it already has changes nothing. */
  setStage(modelId: string, version: number, stage: Stage, note?: ChangeNote): Promise<ModelVersion>;
  recordApproval(modelId: string, version: number, approval: ApprovalRecord): Promise<ModelVersion>;
  recordRollout(modelId: string, version: number, outcome: RolloutOutcomeInput): Promise<ModelVersion>;

  /** Points an alias at a version (or clears it with null); history is kept. */
  setAlias(modelId: string, alias: Alias, version: number | null, note?: ChangeNote): Promise<AliasState>;
  getAlias(modelId: string, alias: Alias): Promise<ModelVersion | null>;
  getAliases(modelId: string): Promise<AliasState>;
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
  /** Defaults to `candidate`. */
  readonly stage?: Stage;
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
