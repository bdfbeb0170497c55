import { ApplicationFailure } from '@temporalio/common';
import {
  DataSourceError,
  DatasetSchemaError,
  ProfileIntegrityError,
  SnapshotIntegrityError,
} from '../adapters/data-sources/errors.js';
import {
  ArtifactIntegrityError,
  ArtifactNotFoundError,
  CorruptManifestError,
  RegistryInputError,
  RegistryLockTimeoutError,
  VersionNotFoundError,
} from '../adapters/registry/registry-errors.js';
import { RoutingConflictError, ServingInputError } from '../adapters/serving-state/serving-state.js';
import {
  TrainerCommandError,
  TrainerInputError,
  TrainerOutputError,
  TrainingCancelledError,
} from '../adapters/trainers/errors.js';
import { IllegalVersionTransitionError } from '../domain/records/version-lifecycle.js';
import { ModelFormatError } from '../domain/model-format/linear-model.js';
import { FailureType, isRetryable } from '../domain/failure-types.js';
import { ModelSpecError } from '../domain/model-spec/model-spec.js';
import { StatsInputError } from '../stats/table.js';

type Mapping = readonly [new (...args: never[]) => Error, FailureType, (err: never) => unknown];

const none = () => undefined;
const MAPPINGS: readonly Mapping[] = [
  [
    ArtifactIntegrityError,
    FailureType.ArtifactIntegrity,
    (e: ArtifactIntegrityError) => ({ expectedSha256: e.expectedSha256, actualSha256: e.actualSha256, path: e.path }),
  ],
  [ArtifactNotFoundError, FailureType.ArtifactNotFound, (e: ArtifactNotFoundError) => ({ sha256: e.sha256 })],
  [
    VersionNotFoundError,
    FailureType.VersionNotFound,
    (e: VersionNotFoundError) => ({ modelId: e.modelId, version: e.version }),
  ],
  [CorruptManifestError, FailureType.CorruptManifest, (e: CorruptManifestError) => ({ path: e.path })],
  [RegistryLockTimeoutError, FailureType.RegistryBusy, none],
  [RegistryInputError, FailureType.InvalidInput, none],
  [
    IllegalVersionTransitionError,
    FailureType.IllegalVersionTransition,
    (e: IllegalVersionTransitionError) => ({ modelId: e.modelId, version: e.version, stage: e.stage, event: e.event }),
  ],
  [
    RoutingConflictError,
    FailureType.RoutingConflict,
    (e: RoutingConflictError) => ({ expectedRevision: e.expectedRevision, actualRevision: e.actualRevision }),
  ],
  [ServingInputError, FailureType.InvalidInput, none],
  [
    DatasetSchemaError,
    FailureType.DatasetSchema,
    (e: DatasetSchemaError) => ({ file: e.file, column: e.column, line: e.line }),
  ],
  [DataSourceError, FailureType.DataSourceUnavailable, none],
  [SnapshotIntegrityError, FailureType.SnapshotIntegrity, none],
  [
    ProfileIntegrityError,
    FailureType.ProfileIntegrity,
    (e: ProfileIntegrityError) => ({
      owner: e.owner,
      expectedSha256: e.expectedSha256,
      actualSha256: e.actualSha256,
      path: e.path,
    }),
  ],
  [
    TrainerCommandError,
    FailureType.TrainerFailed,
    (e: TrainerCommandError) => ({ exitCode: e.exitCode, signal: e.signal, stderrTail: e.stderrTail }),
  ],
  [TrainerOutputError, FailureType.TrainerOutputInvalid, none],
  [TrainerInputError, FailureType.InvalidInput, none],
  [TrainingCancelledError, FailureType.TrainingCancelled, none],
  [ModelFormatError, FailureType.InvalidModelArtifact, none],
  [ModelSpecError, FailureType.ModelSpecInvalid, (e: ModelSpecError) => ({ issues: e.issues })],
  [StatsInputError, FailureType.EvaluationFailed, none],
];

/**
 * Maps a local `*Error` to the wire `ApplicationFailure` with a searchable `type`, details,
 * and the retry flag its type has in the vocabulary (domain/failure-types.ts). Unknown errors become retryable failures that keep their name
 * as type: a crash we did not foresee deserves another attempt.
 */
export function toApplicationFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const error = err instanceof Error ? err : new Error(String(err));
  for (const [cls, type, details] of MAPPINGS) {
    if (error instanceof cls) {
      const d = (details as (e: Error) => unknown)(error);
      return ApplicationFailure.create({
        type,
        message: error.message,
        nonRetryable: !isRetryable(type),
        details: d === undefined ? [] : [d],
        cause: error,
      });
    }
  }
  return ApplicationFailure.create({
    type: error.name || 'Error',
    message: error.message,
    nonRetryable: false,
    cause: error,
  });
}

/** A non-retryable InvalidInput failure naming the field, for activity input checks. */
export function invalidInput(message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.InvalidInput,
    message,
    nonRetryable: true,
    details: details === undefined ? [] : [details],
  });
}

/** Runs an activity body and rethrows any error as a typed ApplicationFailure. */
export async function mapFailures<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toApplicationFailure(err);
  }
}

/** Parses activity input with zod; a mismatch is a non-retryable InvalidInput failure naming each field. */
export function parseInput<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: (string | number)[]; message: string }[] } };
  },
  value: unknown,
  activity: string,
): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const detail = r.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
  throw invalidInput(`${activity}: invalid input: ${detail}`, r.error.issues);
}
