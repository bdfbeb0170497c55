/**
 * A dataset does not match the model's feature schema: a required column is missing, or
 * a value cannot be read as the declared type. Permanent: retrying reads the same file.
 */
export class DatasetSchemaError extends Error {
  override name = 'DatasetSchemaError';
  constructor(
    message: string,
    readonly file: string,
    readonly column?: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** A data source cannot produce a snapshot for a reason other than the schema (no files, unreadable path). */
export class DataSourceError extends Error {
  override name = 'DataSourceError';
}

/** A snapshot on disk does not match its manifest (a file was changed or truncated after it was written). */
export class SnapshotIntegrityError extends Error {
  override name = 'SnapshotIntegrityError';
}

/**
 * A reference profile whose stored bytes no longer hash to the sha256 its model version
 * recorded at registration (or its snapshot at writing): drift judged against it could be
 * silently wrong, so it is never read, nor registered.
 */
export class ProfileIntegrityError extends Error {
  override name = 'ProfileIntegrityError';
  constructor(
    /** Whose profile, e.g. `fraud-sea v3`. */
    readonly owner: string,
    readonly expectedSha256: string,
    readonly actualSha256: string,
    readonly path: string,
    /** Who recorded the expected hash: the registry (at registration) or the snapshot manifest (when it was written). */
    recordedBy = 'the registry',
  ) {
    super(
      `reference profile of ${owner} (${path}) is corrupt or tampered: ${recordedBy} recorded sha256 ${expectedSha256} but the stored bytes hash to ${actualSha256}; restore the snapshot's profile or retrain`,
    );
  }
}
