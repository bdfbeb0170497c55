/**
 * The activity signatures the workflows call, as agreed in the team contracts. Type-only:
 * workflow code imports nothing at runtime from here. When the lifecycle engineers'
 * `createActivities(deps)` lands this becomes `ReturnType<typeof createActivities>`.
 */
import type { ModelSpec } from '../domain/model-spec/model-spec.js';
import type { GateReason, SignificanceResult } from '../domain/evaluation-gate/gate-result.js';
import type { MetricValues } from '../domain/evaluation-gate/gate-input.js';
import type { ApprovalRecord, LineageInput, LiveMetrics, RolloutOutcomeInput, RoutingSpec, RoutingTable, Stage, Alias } from '../domain/records/index.js';

export interface SnapshotRef {
  snapshotId: string;
  sha256: string;
  rowCount: number;
  trainRows: number;
  heldOutRows: number;
  path: string;
  profilePath: string;
}

export interface ValidationReport {
  ok?: boolean;
  drift?: unknown;
  [key: string]: unknown;
}

export interface TrainResult {
  artifactSha256: string;
  sizeBytes: number;
  trainingMetrics: Record<string, number>;
  trainer: { kind: string; name?: string };
  hyperparameters: Record<string, unknown>;
  resumedFromCheckpoint: boolean;
  epochs: number;
}

export interface GateResult {
  decision: 'promote' | 'reject';
  reasons: GateReason[];
  metrics: { challenger: MetricValues; champion?: MetricValues | null };
  significance?: SignificanceResult | null;
  latencyP95Ms: number;
  sizeBytes: number;
}

export interface ChampionRef {
  version: number;
  artifactSha256: string;
  snapshotId: string;
}

export interface CycleActivities {
  snapshotData(input: { spec: ModelSpec; cycleId: string; window?: { fromMs: number; toMs: number } }): Promise<SnapshotRef>;
  validateData(input: { spec: ModelSpec; snapshot: SnapshotRef; championVersion?: number }): Promise<ValidationReport>;
  trainModel(input: { spec: ModelSpec; snapshot: SnapshotRef; cycleId: string; warmStartFromVersion?: number }): Promise<TrainResult>;
  evaluateCandidate(input: { spec: ModelSpec; snapshot: SnapshotRef; candidateSha256: string; championVersion?: number }): Promise<GateResult>;
  registerCandidate(input: { modelId: string; cycleId: string; artifactSha256: string; lineage: LineageInput }): Promise<{ version: number; created: boolean }>;
  getChampion(modelId: string): Promise<ChampionRef | null>;
  recordApproval(input: { modelId: string; version: number; approval: ApprovalRecord }): Promise<void>;
  setStage(input: { modelId: string; version: number; stage: Stage; by?: string; reason?: string }): Promise<void>;
  setAlias(input: { modelId: string; alias: Alias; version: number }): Promise<void>;
  recordRolloutOutcome(input: { modelId: string; version: number; outcome: RolloutOutcomeInput }): Promise<void>;
}

export interface RolloutActivities {
  setRouting(input: { modelId: string; routing: RoutingSpec }): Promise<{ revision: number }>;
  getRouting(modelId: string): Promise<RoutingTable | null>;
  readLiveMetrics(input: { modelId: string; version: number; fromMs: number; toMs: number; task?: 'binaryClassification' | 'regression' }): Promise<LiveMetrics>;
}

/** Client-side work a workflow cannot do itself (signal-with-start of another workflow). */
export interface FlywheelClientActivities {
  signalFlywheelRetrain(input: { modelId: string; scheduleId: string; spec?: ModelSpec }): Promise<{ workflowId: string }>;
}
