import { z } from 'zod';
import { FailureType } from '../failure-types.js';

/**
 * Why a model version cannot be served, worded to follow "cannot be served: ". The
 * rollout, the gateway's load-failure records and the evaluation gate share these words,
 * so a user searches for one phrase wherever the failure shows up.
 */
export const UnservableKind = {
  artifactIntegrity: 'artifact integrity',
  artifactMissing: 'artifact missing',
  invalidModel: 'invalid model artifact',
  smokePrediction: 'smoke prediction',
  loadError: 'load error',
} as const;
export type UnservableKind = (typeof UnservableKind)[keyof typeof UnservableKind];

export const unservableKindSchema = z.enum(Object.values(UnservableKind) as [UnservableKind, ...UnservableKind[]]);

/**
 * The kind of a load error, from its name: local errors (`ArtifactIntegrityError`) and
 * their wire failure types (`ArtifactIntegrity`) alike. Anything unforeseen is a load error.
 */
export function unservableKindOf(errorName: string): UnservableKind {
  switch (errorName) {
    case 'ArtifactIntegrityError':
    case FailureType.ArtifactIntegrity:
      return UnservableKind.artifactIntegrity;
    case 'ArtifactNotFoundError':
    case FailureType.ArtifactNotFound:
    case 'VersionNotFoundError':
    case FailureType.VersionNotFound:
      return UnservableKind.artifactMissing;
    case 'ModelFormatError':
    case FailureType.InvalidModelArtifact:
      return UnservableKind.invalidModel;
    default:
      return UnservableKind.loadError;
  }
}

/** The rollout's reason when a candidate fails a serviceability check or is refused by the gateway. */
export const candidateCannotBeServed = (kind: UnservableKind): string => `candidate cannot be served: ${kind}`;

/** One failed attempt of a gateway to load a version (one per retry interval, not per request). */
export const loadFailureRecordSchema = z.object({
  modelId: z.string().min(1).max(200),
  version: z.number().int().min(1),
  kind: unservableKindSchema,
  /** The loader's error message, capped: it names the artifact and the hashes. */
  message: z.string().max(2000),
  atMs: z.number().int().min(0),
});
export type LoadFailureRecord = z.infer<typeof loadFailureRecordSchema>;

/** A version's load failures in a window, as the rollout's guards read them. */
export interface LoadFailureSummary {
  readonly count: number;
  /** Kind and message of the latest failure in the window. */
  readonly kind: UnservableKind;
  readonly message: string;
  readonly lastAtMs: number;
}

/**
 * What the serviceability check found, InfraValidator-style: the version loads from
 * verified bytes in the serving runtime and answers finite predictions on held-out rows.
 */
export type ServiceabilityReport =
  | {
      readonly servable: true;
      readonly version: number;
      readonly sha256: string;
      readonly smokeRows: number;
      readonly detail: string;
    }
  | { readonly servable: false; readonly version: number; readonly kind: UnservableKind; readonly detail: string };
