import { createHash } from 'node:crypto';
import { sha256Schema } from '../../domain/records/index.js';
import { RegistryInputError } from './registry-errors.js';

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Checks an artifact id before it becomes part of a path or URL: only a sha256 is an id,
 * so `../../etc/passwd` never reaches a store. Returns `ab/abcdef…`, the id under its
 * two-character fan-out directory, as every registry lays blobs out.
 */
export function artifactIdPath(sha256: string): string {
  const parsed = sha256Schema.safeParse(sha256);
  if (!parsed.success)
    throw new RegistryInputError(
      `artifact id ${JSON.stringify(sha256)} is not a sha256: ${parsed.error.issues[0]?.message}`,
    );
  return `${sha256.slice(0, 2)}/${sha256}`;
}
