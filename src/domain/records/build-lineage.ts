import type { GateReason, SignificanceResult } from '../evaluation-gate/gate-result.js';
import { describeBatch, type TriggerBatch } from '../trigger/trigger.js';
import type { LineageInput } from './model-version.js';

/** What a training cycle knows when it registers its candidate: the facts the lineage is made of. */
export interface LineageFacts {
  readonly snapshot: { readonly snapshotId: string; readonly sha256: string; readonly rowCount: number };
  /** Git commit or package version of the training code; `unknown` when the worker was not told. */
  readonly codeVersion?: string | undefined;
  readonly trained: {
    readonly trainer: string;
    readonly hyperparameters: Readonly<Record<string, unknown>>;
    readonly trainingMetrics: Readonly<Record<string, number>>;
    readonly warmStartedFromVersion?: number;
  };
  readonly gate: {
    readonly decision: 'promote' | 'reject';
    readonly reasons: readonly GateReason[];
    readonly metrics: { readonly challenger: Readonly<Record<string, number | undefined>> };
    readonly significance: SignificanceResult | null;
    readonly latencyP95Ms: number;
    /** Set when the champion could not be loaded, so it was not compared with. */
    readonly championUnservable?: unknown;
  };
  /** The champion when the cycle started, or null for the first model. */
  readonly champion: { readonly version: number; readonly artifactSha256: string } | null;
  readonly trigger: TriggerBatch;
  readonly cycle: { readonly workflowId: string; readonly runId: string };
}

/**
 * The lineage recorded with a candidate: what data, code, trainer and settings made it, how
 * it scored on the held-out set, what it was compared with, what the gate said and why the
 * cycle ran. Pure: the cycle calls it with what its steps returned.
 */
export function buildLineage(f: LineageFacts): LineageInput {
  const heldOut = Object.fromEntries(
    Object.entries(f.gate.metrics.challenger).filter((e): e is [string, number] => typeof e[1] === 'number'),
  );
  const { trained, gate, trigger } = f;
  return {
    dataset: { snapshotId: f.snapshot.snapshotId, sha256: f.snapshot.sha256, rowCount: f.snapshot.rowCount },
    codeVersion: f.codeVersion ?? 'unknown',
    trainer: {
      kind: trained.trainer,
      hyperparameters: { ...trained.hyperparameters },
      ...(trained.warmStartedFromVersion !== undefined ? { warmStartFromVersion: trained.warmStartedFromVersion } : {}),
    },
    metrics: { heldOut, training: { ...trained.trainingMetrics } },
    // A champion that could not be loaded was not compared with, whatever the alias says.
    comparedWith:
      f.champion && !gate.championUnservable
        ? { version: f.champion.version, artifactSha256: f.champion.artifactSha256 }
        : null,
    gate: {
      decision: gate.decision,
      reasons: [...gate.reasons],
      ...(gate.significance ? { significance: gate.significance } : {}),
      latencyP95Ms: gate.latencyP95Ms,
    },
    trigger: { kind: trigger.primary, reason: describeBatch(trigger), at: new Date(trigger.firstAt).toISOString() },
    cycle: { workflowId: f.cycle.workflowId, runId: f.cycle.runId },
  };
}
