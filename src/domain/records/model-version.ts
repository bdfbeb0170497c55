import { z } from 'zod';
import { gateReasonSchema, significanceResultSchema } from '../evaluation-gate/gate-result.js';
import { modelDescriptionSchema } from '../model-format/model-description.js';
import { cycleIdSchema, isoTimeSchema, modelIdSchema, sha256Schema, versionNumberSchema } from './ids.js';
import { stageSchema } from './stages.js';

/**
 * The manifest of one registered model version: the artifact's identity plus the full
 * lineage a reviewer needs months later (what data, what code, what it was compared with,
 * who approved it, how its rollout ended). Written once at registration; stage, approval
 * and rollout are appended later by atomic rewrites.
 */

export const datasetLineageSchema = z.object({
  snapshotId: z.string().min(1),
  sha256: sha256Schema,
  rowCount: z.number().int().min(0).optional(),
  /**
   * sha256 of the exact stored bytes of the snapshot's reference profile (the drift
   * reference the monitor and the next cycle's validation compare with), recorded at
   * registration; readers refuse a profile that no longer hashes to it. Absent on versions
   * registered before profiles were hashed (read unchecked) and on snapshots without one.
   */
  profileSha256: sha256Schema.optional(),
  /** The time window the snapshot covers, when the source is windowed. */
  window: z.object({ fromMs: z.number(), toMs: z.number() }).optional(),
});

export const trainerLineageSchema = z.object({
  /** `builtin`, `command`, … */
  kind: z.string().min(1),
  /** Algorithm or command, e.g. `logistic-regression` or `python train.py`. */
  name: z.string().optional(),
  hyperparameters: z.record(z.unknown()).default({}),
  warmStartFromVersion: versionNumberSchema.optional(),
});

export const triggerLineageSchema = z.object({
  /** `drift`, `schedule`, `newData`, `performance`, `manual`, … */
  kind: z.string().min(1),
  reason: z.string().optional(),
  at: isoTimeSchema.optional(),
});

export const gateLineageSchema = z.object({
  decision: z.enum(['promote', 'reject']),
  reasons: z.array(gateReasonSchema),
  significance: significanceResultSchema.optional(),
  latencyP95Ms: z.number().optional(),
});

/**
 * How much each feature matters to the model, measured at registration on the snapshot's
 * held-out rows. `permutation`: the drop of the held-out metric (accuracy for a classifier,
 * −RMSE for a regressor) when that feature's column is shuffled, averaged over seeded
 * repeats; `coefficients`: the absolute weight of a linear model on its standardised inputs.
 * Normalised so the values are ≥ 0 and sum to 1 over the model's features (a negative
 * permutation drop, i.e. noise, counts as 0; all zero when no feature matters at all), so
 * importances compare across models and methods. The trigger policy reads it to tell a
 * harmful input drift from a benign one.
 */
export const featureImportanceSchema = z.object({
  method: z.enum(['permutation', 'coefficients']),
  byFeature: z.record(z.number()),
});

/**
 * A map from the model's P(class 1) to a calibrated probability, fitted at registration on
 * the held-out rows of a binary classifier (the label-free performance estimate needs
 * calibrated probabilities). `isotonic`: the piecewise-linear curve through `x` → `y`
 * (increasing x, non-decreasing y, clipped outside), as scikit-learn's IsotonicRegression
 * predicts; `platt`: 1 / (1 + exp(a·p + b)). `rowCount` rows were used.
 */
export const probabilityCalibrationSchema = z
  .discriminatedUnion('method', [
    z.object({
      method: z.literal('isotonic'),
      x: z.array(z.number()).min(1),
      y: z.array(z.number().min(0).max(1)).min(1),
      rowCount: z.number().int().min(1),
    }),
    z.object({ method: z.literal('platt'), a: z.number(), b: z.number(), rowCount: z.number().int().min(1) }),
  ])
  .refine((c) => c.method !== 'isotonic' || c.x.length === c.y.length, {
    message: 'isotonic calibration needs as many y as x values',
    path: ['y'],
  });

export const lineageSchema = z.object({
  dataset: datasetLineageSchema,
  /** Git commit (or package version) of the code that trained the model. */
  codeVersion: z.string().min(1),
  trainer: trainerLineageSchema,
  metrics: z.object({
    heldOut: z.record(z.number()),
    training: z.record(z.number()).optional(),
  }),
  /** The champion this version was evaluated against; null for the first model. */
  comparedWith: z.object({ version: versionNumberSchema, artifactSha256: sha256Schema }).nullable(),
  gate: gateLineageSchema.nullable(),
  trigger: triggerLineageSchema,
  cycle: z.object({ workflowId: z.string().min(1), runId: z.string().min(1) }),
  /**
   * The artifact as registration found it: format, the features it reads, and for ONNX the
   * opset, inputs, outputs and layout. Recorded by the registration activity; the gateway
   * binds an ONNX model with it. Absent on versions registered before formats were recorded
   * (all linear, which describe themselves).
   */
  model: modelDescriptionSchema.optional(),
  /** Feature importance on held-out rows; absent on versions registered before it was measured. */
  importance: featureImportanceSchema.optional(),
  /** Probability calibration (binary classifiers); a version without it gets no label-free estimate. */
  calibration: probabilityCalibrationSchema.optional(),
});

export const approvalRecordSchema = z.object({
  decision: z.enum(['approved', 'rejected', 'timedOut', 'autoApproved']),
  by: z.string().min(1),
  at: isoTimeSchema,
  comment: z.string().optional(),
});

export const rolloutOutcomeSchema = z.object({
  outcome: z.enum(['completed', 'rolled_back', 'aborted']),
  at: isoTimeSchema,
  /** Strategy and last step, e.g. `canary 25%`. */
  detail: z.string().optional(),
  reasons: z.array(z.string()).default([]),
});

export const stageChangeSchema = z.object({
  stage: stageSchema,
  at: isoTimeSchema,
  by: z.string().optional(),
  reason: z.string().optional(),
});

export const modelVersionSchema = z.object({
  schemaVersion: z.literal(1),
  modelId: modelIdSchema,
  version: versionNumberSchema,
  /** The idempotency key: one cycle registers at most one version. */
  cycleId: cycleIdSchema,
  createdAt: isoTimeSchema,
  artifact: z.object({ sha256: sha256Schema, sizeBytes: z.number().int().min(0) }),
  stage: stageSchema,
  stageHistory: z.array(stageChangeSchema),
  lineage: lineageSchema,
  approval: approvalRecordSchema.optional(),
  rollout: rolloutOutcomeSchema.optional(),
});

export type DatasetLineage = z.infer<typeof datasetLineageSchema>;
export type TrainerLineage = z.infer<typeof trainerLineageSchema>;
export type TriggerLineage = z.infer<typeof triggerLineageSchema>;
export type FeatureImportance = z.infer<typeof featureImportanceSchema>;
export type ProbabilityCalibration = z.infer<typeof probabilityCalibrationSchema>;
export type Lineage = z.infer<typeof lineageSchema>;
export type LineageInput = z.input<typeof lineageSchema>;
export type ApprovalRecord = z.infer<typeof approvalRecordSchema>;
export type RolloutOutcome = z.infer<typeof rolloutOutcomeSchema>;
export type RolloutOutcomeInput = z.input<typeof rolloutOutcomeSchema>;
export type StageChange = z.infer<typeof stageChangeSchema>;
export type ModelVersion = z.infer<typeof modelVersionSchema>;
