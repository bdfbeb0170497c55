import { ModelSpecError, parseModelSpec, type ModelSpec } from '../model-spec/model-spec.js';
import { UpdatePolicySchema, describePayloadError, type UpdatePolicy } from '../signals.js';
import type { TriggerDecision } from '../trigger/trigger-state.js';
import { RefusalCode, firstIssueField, type UpdateRefusal } from '../update-refusal.js';
import type { Flywheel } from './flywheel-state.js';
import { mergePolicySections } from './policy-merge.js';

/**
 * One policy change checked against the flywheel's current spec. Both ways in share it:
 * the `updatePolicy` signal drops and counts a refusal (recording `error`, the text
 * `status` has always shown), the `updatePolicy` update's validator throws `refusal`.
 */
export type PolicyCheck =
  | { ok: true; update: UpdatePolicy; spec: ModelSpec }
  | {
      ok: false;
      /** What the signal path records in `status.rejectedInputs`. */
      error: string;
      /** The update's refusal: its code, the first bad field, and one line naming each bad field and what to do. */
      refusal: UpdateRefusal;
    };

const refused = (code: RefusalCode, field: string | undefined, problem: string, todo: string): UpdateRefusal => ({
  code,
  ...(field !== undefined ? { field } : {}),
  message: `invalid policy update: ${problem}; ${todo}`,
});

/**
 * Parses an `updatePolicy` payload and merges it into `current`: listed policies replace
 * the spec's (defaults filled in), or with `merge: true` are laid over them field by field;
 * `spec` replaces the whole spec. Pure; never throws.
 */
export function checkPolicyUpdate(current: ModelSpec | null, raw: unknown): PolicyCheck {
  const parsed = UpdatePolicySchema.safeParse(mergePolicySections(current, raw));
  if (!parsed.success) {
    const error = describePayloadError(parsed.error);
    return {
      ok: false,
      error,
      refusal: refused(
        RefusalCode.invalidPayload,
        firstIssueField(parsed.error),
        error,
        'fix the field(s) named and send the update again',
      ),
    };
  }
  const update = parsed.data;
  const base = update.spec ?? current;
  if (!base) {
    return {
      ok: false,
      error: 'the flywheel has no model spec yet: send the whole spec in `spec`',
      refusal: refused(
        RefusalCode.noSpec,
        'spec',
        'spec: the flywheel has no model spec yet, so a policy alone cannot apply',
        'send the whole model spec in `spec` (flywheel policy <model> --spec <file>, or flywheel start <file>)',
      ),
    };
  }
  const merged = {
    ...base,
    ...(update.trigger ? { trigger: update.trigger } : {}),
    ...(update.approval ? { approval: update.approval } : {}),
    ...(update.rollout ? { rollout: update.rollout } : {}),
  };
  try {
    return { ok: true, update, spec: parseModelSpec(merged, 'updatePolicy') };
  } catch (err) {
    // Anything thrown is a refusal, never a failed workflow task (the signal path always caught everything).
    const issues = err instanceof ModelSpecError ? err.issues : [{ path: '(spec)', message: (err as Error).message }];
    const where = update.spec ? 'spec' : 'the model spec after this update';
    const fields = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    const first = issues[0]?.path;
    const whole = first === undefined || first === '(spec)' || first === '(root)';
    const field = update.spec ? (whole ? 'spec' : `spec.${first}`) : whole ? 'spec' : first;
    return {
      ok: false,
      error: (err as Error).message,
      refusal: refused(
        RefusalCode.invalidSpec,
        field,
        `${where} is invalid: ${fields}`,
        'fix these fields and send the update again',
      ),
    };
  }
}

/**
 * Installs a checked spec unless it is identical to the current one (FlywheelClient.start
 * re-sends the same spec on every call: that is not a new revision) and says what changed.
 */
export function applyPolicyChange(fw: Flywheel, check: Extract<PolicyCheck, { ok: true }>, now: number): PolicyChange {
  const { spec, update } = check;
  const who = { ...(update.by ? { by: update.by } : {}), ...(update.reason ? { reason: update.reason } : {}) };
  if (sameJson(spec, fw.spec))
    return { modelId: fw.modelId, outcome: 'unchanged', specRevision: fw.specRevision, changed: [], ...who };
  const changed = changedSections(fw.spec, spec);
  const { action, reason, at, until, cause } = fw.setSpec(spec, now);
  const decision = { action, reason, at, ...(until !== undefined ? { until } : {}), ...(cause ? { cause } : {}) };
  return { modelId: fw.modelId, outcome: 'changed', specRevision: fw.specRevision, changed, decision, ...who };
}

/** Top-level spec sections that differ between two specs (every section when there was none). */
export function changedSections(before: ModelSpec | null, after: ModelSpec): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  const get = (s: ModelSpec | null, k: string) => (s as Record<string, unknown> | null)?.[k];
  return [...keys].filter((k) => !sameJson(get(before, k), get(after, k)));
}

/**
 * Equal as JSON whatever the order of object keys: a schema with a transform may order a
 * spec's keys differently the second time it is parsed, which is not a change.
 */
function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(x: unknown): string | undefined {
  return JSON.stringify(x, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)))
      : v,
  );
}

/** Answer of the `updatePolicy` update. */
export interface PolicyChange {
  modelId: string;
  outcome: 'changed' | 'unchanged';
  /** The spec revision now in force (unchanged: the current one). */
  specRevision: number;
  /** Top-level spec sections this update changed, e.g. `["trigger"]`; empty when unchanged. */
  changed: string[];
  /** What the trigger policy decided under the new policy, with its reason; absent when unchanged. */
  decision?: Pick<TriggerDecision, 'action' | 'reason' | 'at' | 'until' | 'cause'>;
  by?: string;
  reason?: string;
}
