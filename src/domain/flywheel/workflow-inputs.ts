import { z } from 'zod';
import { modelSpecSchema } from '../model-spec/model-spec.js';
import { RolloutPolicySchema } from '../policies/rollout-policy.js';
import { TriggerKindSchema } from '../policies/trigger-policy.js';
import { modelIdSchema } from '../records/ids.js';

/**
 * Start inputs of the workflows a person can also start by hand (`temporal workflow start
 * --type trainingCycle --input …`). Each workflow parses its input with these at its first
 * line: a bad one fails that workflow with a message naming the field, never a workflow task.
 * Objects pass unknown keys through, so a field a newer caller adds is not lost on the way.
 */

const version = z.number().int().min(1);

/** A batch of triggers as the flywheel's trigger policy builds it (see `TriggerBatch`). */
export const TriggerBatchSchema = z
  .object({
    kinds: z.array(TriggerKindSchema),
    primary: TriggerKindSchema,
    count: z.number().int().min(0),
    firstAt: z.number(),
    lastAt: z.number(),
    maxScore: z.record(z.number()),
    force: z.boolean(),
    samples: z.array(z.object({ kind: TriggerKindSchema, at: z.number() }).passthrough()),
  })
  .passthrough();

/** `trainingCycle`. */
export const CycleInputSchema = z
  .object({
    modelId: modelIdSchema,
    cycle: z.number().int().min(1),
    spec: modelSpecSchema,
    trigger: TriggerBatchSchema,
    codeVersion: z.string().max(200).optional(),
    trainingTaskQueue: z.string().min(1).max(200).optional(),
    reportByResult: z.boolean().optional(),
  })
  .passthrough();

/** `rollout`. */
export const RolloutInputSchema = z
  .object({
    modelId: modelIdSchema,
    candidateVersion: version,
    championVersion: version.nullable(),
    policy: RolloutPolicySchema,
    task: z.enum(['binaryClassification', 'regression']).optional(),
  })
  .passthrough();

/** `scheduledRetrain`. */
export const ScheduledRetrainInputSchema = z
  .object({
    modelId: modelIdSchema,
    scheduleId: z.string().min(1).max(200),
    spec: modelSpecSchema.optional(),
  })
  .passthrough();

const count = z.number().int().min(0);

/** `productionMonitor`: the model and the state carried across continue-as-new (settings and floors have their own schemas). */
export const MonitorInputShapeSchema = z
  .object({
    modelId: modelIdSchema,
    carried: z
      .object({
        checks: count,
        lastSignals: z
          .object({ driftAlert: z.number().optional(), performanceReport: z.number().optional() })
          .passthrough(),
        signalsSent: z.object({ driftAlert: count, performanceReport: count }).passthrough(),
        recent: z.array(z.object({}).passthrough()),
        failures: count,
      })
      .passthrough()
      .optional(),
  })
  .passthrough();
