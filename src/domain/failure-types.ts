/**
 * Every `type` of ApplicationFailure the project throws: what a user searches for in the
 * UI, what workflows branch on, and — through `retryable` — the one source of every retry
 * rule. The activity error mapping (`activities/errors.ts`) sets `nonRetryable` from it and
 * every `nonRetryableErrorTypes` list is {@link NON_RETRYABLE_FAILURE_TYPES}, so a type
 * added here is retried (or not) the same way everywhere. Workflow-safe: no imports.
 *
 * A test (test/unit/failures) scans `src/` and fails on a failure type thrown but not listed.
 */
const FAILURE_TYPES = {
  // Data
  DataValidationFailed: {
    retryable: false,
    meaning: 'the dataset failed data-quality validation; details carry the report',
  },
  DatasetSchema: {
    retryable: false,
    meaning: 'the dataset does not match the feature schema (missing required column, bad value)',
  },
  DataSourceUnavailable: {
    retryable: true,
    meaning: 'the data source could not be read just now (file system, network)',
  },
  SnapshotIntegrity: {
    retryable: false,
    meaning: 'a stored dataset snapshot does not hash to the sha256 recorded when it was taken',
  },
  ProfileIntegrity: {
    retryable: false,
    meaning: "a version's reference profile does not hash to the sha256 recorded at its registration",
  },
  // Registry and artifacts
  ArtifactIntegrity: { retryable: false, meaning: 'a stored artifact does not hash to its id: it must never serve' },
  ArtifactNotFound: { retryable: false, meaning: 'no artifact is stored under that sha256' },
  InvalidModelArtifact: { retryable: false, meaning: 'the artifact is not a model this project can score' },
  VersionNotFound: { retryable: false, meaning: 'the registry has no such model version' },
  CorruptManifest: { retryable: false, meaning: "a version's manifest in the registry does not parse" },
  RegistryBusy: { retryable: true, meaning: "the registry's model lock was held too long by another writer" },
  IllegalVersionTransition: {
    retryable: false,
    meaning: "a lifecycle event the version's stage does not allow (domain/records/version-lifecycle.ts)",
  },
  // Serving
  RoutingConflict: { retryable: false, meaning: 'the routing changed since it was read (compare-and-set lost)' },
  // Training and evaluation
  TrainerFailed: {
    retryable: true,
    meaning: 'the trainer process exited with an error (out of memory, a crash): worth another attempt',
  },
  TrainerOutputInvalid: { retryable: false, meaning: 'the trainer finished but wrote no usable model' },
  TrainingCancelled: { retryable: false, meaning: 'training stopped because its activity was cancelled' },
  EvaluationFailed: {
    retryable: false,
    meaning: 'statistics could not be computed on this data (e.g. one class only)',
  },
  // Bad input, named by field
  InvalidInput: {
    retryable: false,
    meaning: 'bad activity input (ids, routing, records): fix the caller, retrying cannot help',
  },
  ModelSpecInvalid: {
    retryable: false,
    meaning: 'a model spec (file or payload) does not parse; details name each field',
  },
  MonitorInputInvalid: { retryable: false, meaning: "the production monitor's settings or floors do not parse" },
  InvalidWorkflowInput: {
    retryable: false,
    meaning: "a workflow's start input does not parse; the workflow ends naming each field",
  },
  UpdateRefused: {
    retryable: false,
    meaning: "an update's validator refused it before it entered history; details carry field and code",
  },
} as const satisfies Record<string, { readonly retryable: boolean; readonly meaning: string }>;

export type FailureType = keyof typeof FAILURE_TYPES;

/** The failure types by name, for `ApplicationFailure.create({ type: FailureType.X })` and `err.type === FailureType.X`. */
export const FailureType = Object.fromEntries(Object.keys(FAILURE_TYPES).map((t) => [t, t])) as {
  readonly [T in FailureType]: T;
};

/** Every failure type with whether it retries and what it means (for docs and tests). */
export const failureTypes = (): readonly { type: FailureType; retryable: boolean; meaning: string }[] =>
  (Object.keys(FAILURE_TYPES) as FailureType[]).map((type) => ({ type, ...FAILURE_TYPES[type] }));

/** Whether a retry can help a failure of this type. */
export const isRetryable = (type: FailureType): boolean => FAILURE_TYPES[type].retryable;

/** Types no retry can fix: the `nonRetryableErrorTypes` of every retry policy. */
export const NON_RETRYABLE_FAILURE_TYPES: readonly FailureType[] = failureTypes()
  .filter((t) => !t.retryable)
  .map((t) => t.type);
