import { z } from 'zod';
import { modelSpecSchema, type ModelSpec } from '../model-spec/model-spec.js';
import { TriggerPolicySchema } from '../policies/trigger-policy.js';
import { modelIdSchema } from '../records/ids.js';
import type { FlywheelData } from './flywheel-state.js';
import { LEGACY_SEARCH_ATTRIBUTES_KEY } from './legacy-search-attributes.js';
import { TriggerBatchSchema } from './workflow-inputs.js';

/**
 * The start input of `modelFlywheel`, parsed at the boundary. Anyone can start a workflow
 * by type name (`temporal workflow start --input …`), so the input may be null, a spec
 * without its defaults, or state no run of ours carried. None of that may fail a workflow
 * task: what cannot be used is named here and the flywheel runs misconfigured until a
 * valid `updatePolicy` with a spec repairs it.
 */

const OPTION_SCHEMAS = {
  historyLimit: z.number().int().min(1).max(50_000),
  hardHistoryLimit: z.number().int().min(1).max(50_000),
  trainingTaskQueue: z.string().min(1).max(200),
  cycleTaskQueue: z.string().min(1).max(200),
  codeVersion: z.string().max(200),
} as const;

export interface ParsedFlywheelOptions {
  historyLimit?: number;
  hardHistoryLimit?: number;
  trainingTaskQueue?: string;
  cycleTaskQueue?: string;
  codeVersion?: string;
}

const batch = TriggerBatchSchema;

const inFlight = z
  .object({
    cycle: z.number().int().min(1),
    workflowId: z.string().min(1),
    step: z.string(),
    startedAt: z.number(),
    trigger: batch,
    candidateVersion: z.number().int().optional(),
    runId: z.string().optional(),
  })
  .passthrough();

/**
 * What a previous run carried (see `Flywheel.snapshot`). Objects pass unknown keys through,
 * so nothing a newer version added is lost; older state (no run ids, no misconfiguration) parses.
 */
const CarriedSchema = z
  .object({
    modelId: modelIdSchema,
    spec: z.unknown(),
    specRevision: z.number().int().min(0),
    trigger: z
      .object({
        policy: TriggerPolicySchema,
        paused: z.boolean(),
        pending: batch.nullable(),
        running: z
          .object({ cycle: z.number().int().min(1), startedAt: z.number(), batch })
          .passthrough()
          .nullable(),
        cyclesStarted: z.number().int().min(0),
        lastCycleEndedAt: z.number().nullable(),
        recentStarts: z.array(z.number()),
        counts: z.object({ received: z.number(), ignored: z.number(), accepted: z.number() }).passthrough(),
      })
      .passthrough(),
    champion: z
      .object({ version: z.number().int().min(1), since: z.number() })
      .passthrough()
      .nullable(),
    inFlight: inFlight.nullable(),
    decisions: z.array(z.object({ action: z.string(), reason: z.string(), at: z.number() }).passthrough()),
    rejected: z
      .object({
        count: z.number().int().min(0),
        recent: z.array(z.object({ input: z.string(), error: z.string(), at: z.number() }).passthrough()),
      })
      .passthrough(),
    recentCycles: z.array(
      z
        .object({
          cycle: z.number(),
          workflowId: z.string(),
          outcome: z.string(),
          reason: z.string(),
          trigger: z.string(),
          startedAt: z.number(),
          endedAt: z.number(),
        })
        .passthrough(),
    ),
    totals: z
      .object({
        cycles: z.number().int().min(0),
        promoted: z.number().int().min(0),
        notPromoted: z.number().int().min(0),
      })
      .passthrough(),
    misconfigured: z.object({ error: z.string(), at: z.number() }).nullable().optional(),
  })
  .passthrough();

export interface ParsedFlywheelInput {
  modelId: string;
  /** The parsed spec (defaults applied), or null: none given, or it did not parse (see `misconfigured`). */
  spec: ModelSpec | null;
  carried?: FlywheelData;
  options: ParsedFlywheelOptions;
  /** Why the flywheel cannot train, naming the field; null when the input is usable. */
  misconfigured: string | null;
  /** Parts of the input that were dropped (bad options, a model id taken from the workflow id). */
  dropped: string[];
}

const prefixed = (prefix: string, error: z.ZodError) =>
  error.issues.map((i) => `${[prefix, ...i.path].join('.')}: ${i.message}`).join('; ');

/** `flywheel:<modelId>` → modelId; the workflow id itself when it has another shape. */
function modelIdFromWorkflowId(workflowId: string): string {
  const m = /^flywheel:([^:]+)$/.exec(workflowId);
  return m?.[1] ?? workflowId;
}

function parseOptions(raw: unknown, dropped: string[]): ParsedFlywheelOptions {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    dropped.push(`options: expected an object, received ${raw === null ? 'null' : typeof raw}`);
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === LEGACY_SEARCH_ATTRIBUTES_KEY) continue; // read by legacySearchAttributesOff, for replay only
    const schema = OPTION_SCHEMAS[key as keyof typeof OPTION_SCHEMAS];
    if (!schema) {
      dropped.push(`options.${key}: unknown option (known: ${Object.keys(OPTION_SCHEMAS).join(', ')})`);
      continue;
    }
    if (value === undefined) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) out[key] = parsed.data;
    else dropped.push(prefixed(`options.${key}`, parsed.error));
  }
  return out as ParsedFlywheelOptions;
}

function parseSpec(raw: unknown, where: string): { spec: ModelSpec | null; error: string | null } {
  if (raw === undefined || raw === null) return { spec: null, error: null };
  const parsed = modelSpecSchema.safeParse(raw);
  return parsed.success
    ? { spec: parsed.data, error: null }
    : { spec: null, error: `${where} is invalid: ${prefixed(where, parsed.error)}` };
}

/**
 * Parses a `modelFlywheel` start input. Pure and total: it never throws, whatever `raw` is.
 * `workflowId` names the model when the input does not.
 */
export function parseFlywheelInput(raw: unknown, workflowId: string): ParsedFlywheelInput {
  const dropped: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    const got = raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw;
    const modelId = modelIdFromWorkflowId(workflowId);
    return {
      modelId,
      spec: null,
      options: {},
      dropped,
      misconfigured: `(input): expected an object { modelId, spec, options }, received ${got}`,
    };
  }
  const input = raw as Record<string, unknown>;
  const options = parseOptions(input.options, dropped);
  const id = modelIdSchema.safeParse(input.modelId);
  const modelId = id.success ? id.data : modelIdFromWorkflowId(workflowId);
  if (!id.success) dropped.push(`${prefixed('modelId', id.error)} (using "${modelId}" from the workflow id)`);

  if (input.carried !== undefined) {
    const carried = CarriedSchema.safeParse(input.carried);
    if (!carried.success) {
      return {
        modelId,
        spec: null,
        options,
        dropped,
        misconfigured: `carried state is invalid: ${prefixed('carried', carried.error)}`,
      };
    }
    const spec = parseSpec(carried.data.spec, 'carried.spec');
    const data = { ...carried.data, spec: spec.spec } as unknown as FlywheelData;
    // A misconfiguration carried from the previous run is already in `data`; only a new problem is returned.
    return { modelId: data.modelId, spec: spec.spec, carried: data, options, dropped, misconfigured: spec.error };
  }
  const spec = parseSpec(input.spec, 'spec');
  return { modelId, spec: spec.spec, options, dropped, misconfigured: spec.error };
}
