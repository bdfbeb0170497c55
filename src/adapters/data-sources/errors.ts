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
