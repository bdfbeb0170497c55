import { FeatureKind, Task, type FeatureSpec } from '../features.js';
import type { ModelSpec } from './model-spec.js';
import { OutOfRangePolicy } from './serving-policy.js';

/**
 * What the serving gateway checks a request against: the task (for labels), the declared
 * features (type, `required`, range / allowed values) and the out-of-range policy. It
 * comes from the model spec; when the gateway has no spec for a model it is derived from
 * the served artifact (`source: 'artifact'`: types only, nothing required, but a request
 * must carry at least one of the model's features).
 */
export interface ServingSchema {
  readonly task: Task;
  readonly features: readonly FeatureSpec[];
  readonly outOfRange: OutOfRangePolicy;
  readonly source: 'spec' | 'artifact';
}

/** One problem with one field of a request: `field` is its path, e.g. `features.x`. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
  /** Set when the value has the right type but lies outside the spec's range or allowed values. */
  readonly outOfRange?: true;
}

/** The serving schema a spec declares. */
export function servingSchemaOfSpec(spec: ModelSpec): ServingSchema {
  return { task: spec.task, features: spec.features, outOfRange: spec.serving.outOfRange, source: 'spec' };
}

const MAX_LISTED = 20;
const listed = (values: readonly string[]): string =>
  values.length <= MAX_LISTED
    ? values.join(', ')
    : `${values.slice(0, MAX_LISTED).join(', ')} (and ${values.length - MAX_LISTED} more)`;

/** A request value as the message quotes it (JSON strings quoted, Infinity by name, long text cut). */
export function quoteValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function expectation(f: FeatureSpec): string {
  if (f.type === FeatureKind.numeric) {
    const range = f.min !== undefined || f.max !== undefined ? ` in ${f.min ?? '-∞'}..${f.max ?? '∞'}` : '';
    return `send ${f.name} as a JSON number${range}`;
  }
  return f.allowedValues ? `send ${f.name} as one of ${listed(f.allowedValues)}` : `send ${f.name} as a JSON string`;
}

const TO_SCORE_ANYWAY = 'or set serving.outOfRange: scoreAndFlag in the model spec to score such values with a flag';

/** The value's type problem, or its range problem (`range: true`), or nothing. */
function checkValue(f: FeatureSpec, value: unknown): { message: string; range: boolean } | undefined {
  const field = `features.${f.name}`;
  if (f.type === FeatureKind.numeric) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return {
        message: `${field}: expected a finite number, got ${quoteValue(value)}; ${expectation(f)}`,
        range: false,
      };
    }
    if (f.min !== undefined && value < f.min)
      return {
        message: `${field}: ${value} is below the minimum ${f.min} in the model spec; ${expectation(f)}, ${TO_SCORE_ANYWAY}`,
        range: true,
      };
    if (f.max !== undefined && value > f.max)
      return {
        message: `${field}: ${value} is above the maximum ${f.max} in the model spec; ${expectation(f)}, ${TO_SCORE_ANYWAY}`,
        range: true,
      };
    return undefined;
  }
  if (typeof value !== 'string')
    return { message: `${field}: expected a string, got ${quoteValue(value)}; ${expectation(f)}`, range: false };
  if (f.allowedValues && !f.allowedValues.includes(value)) {
    return {
      message: `${field}: ${quoteValue(value)} is not one of ${listed(f.allowedValues)} (allowedValues in the model spec); ${expectation(f)}, ${TO_SCORE_ANYWAY}`,
      range: true,
    };
  }
  return undefined;
}

/**
 * Checks a request's features against a serving schema. `issues` refuse the request
 * (a missing required feature, a wrong type, an out-of-range value under `refuse`);
 * `flags` are out-of-range values scored under `scoreAndFlag`. Features the schema does
 * not declare are left alone (they are logged, and a later model may use them).
 */
export function checkFeatures(
  schema: ServingSchema,
  features: Readonly<Record<string, unknown>>,
): { issues: FieldIssue[]; flags: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const flags: FieldIssue[] = [];
  let present = 0;
  for (const f of schema.features) {
    const field = `features.${f.name}`;
    const value = features[f.name];
    if (value === undefined || value === null) {
      if (f.required)
        issues.push({
          field,
          message: `${field}: required feature is ${value === null ? 'null' : 'missing'}; ${expectation(f)} (the model spec declares it ${f.type}, required)`,
        });
      continue;
    }
    present++;
    const problem = checkValue(f, value);
    if (!problem) continue;
    if (!problem.range) issues.push({ field, message: problem.message });
    else
      (schema.outOfRange === OutOfRangePolicy.scoreAndFlag ? flags : issues).push({
        field,
        message: problem.message,
        outOfRange: true,
      });
  }
  if (schema.source === 'artifact' && present === 0 && issues.length === 0) {
    const names = schema.features.map((f) => f.name);
    issues.push({
      field: 'features',
      message: `features: none of the model's features (${listed(names)}) is present; send at least one of them`,
    });
  }
  return { issues, flags };
}

/**
 * Checks a ground-truth label against the task: 0 or 1 (true/false) for a binary
 * classifier, any finite number for regression. Returns the problem, or undefined.
 */
export function checkLabel(task: Task, label: number): FieldIssue | undefined {
  if (!Number.isFinite(label))
    return { field: 'label', message: `label: expected a finite number, got ${quoteValue(label)}` };
  if (task === Task.binaryClassification && label !== 0 && label !== 1) {
    return {
      field: 'label',
      message: `label: a binaryClassification model takes 0 or 1 (or true/false), got ${label}; send the observed class`,
    };
  }
  return undefined;
}
