/** Local errors of the registry; activities map them to wire failures (src/activities/errors.ts). */

/** The stored bytes do not hash to the id they are stored under: never serve them. */
export class ArtifactIntegrityError extends Error {
  override name = 'ArtifactIntegrityError';
  constructor(
    readonly expectedSha256: string,
    readonly actualSha256: string,
    readonly path: string,
  ) {
    super(
      `artifact ${path} is corrupt or tampered: expected sha256 ${expectedSha256} but the stored bytes hash to ${actualSha256}; re-upload the artifact or retrain`,
    );
  }
}

export class ArtifactNotFoundError extends Error {
  override name = 'ArtifactNotFoundError';
  constructor(readonly sha256: string) {
    super(`no artifact with sha256 ${sha256} in the registry; store it with putArtifact first`);
  }
}

export class VersionNotFoundError extends Error {
  override name = 'VersionNotFoundError';
  constructor(
    readonly modelId: string,
    readonly version: number,
  ) {
    super(`model ${modelId} has no version ${version}`);
  }
}

/** A stored manifest that does not parse: the registry refuses to guess. */
export class CorruptManifestError extends Error {
  override name = 'CorruptManifestError';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`manifest ${path} is unreadable: ${detail}`);
  }
}

/** Another writer held the registry lock for too long; safe to retry. */
export class RegistryLockTimeoutError extends Error {
  override name = 'RegistryLockTimeoutError';
}

/** Bad arguments to a registry call (unknown stage, invalid lineage, …); not retryable. */
export class RegistryInputError extends Error {
  override name = 'RegistryInputError';
}

/**
 * A remote registry (MLflow) cannot be reached or failed on its side; retryable. The
 * message names the server and what to check. Unmapped in activities/errors.ts on purpose:
 * it becomes a retryable failure of type `RegistryUnavailableError`.
 */
export class RegistryUnavailableError extends Error {
  override name = 'RegistryUnavailableError';
}
