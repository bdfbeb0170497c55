import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { artifactIdPath, sha256Hex } from '../artifact-id.js';
import type { ArtifactRef } from '../model-registry.js';
import { ArtifactIntegrityError, ArtifactNotFoundError } from '../registry-errors.js';
import { writeFileAtomic } from './atomic-file.js';

/**
 * Content-addressed blobs at `<root>/blobs/sha256/ab/abcdef…`: the path is the hash, so
 * two writers of the same bytes cannot conflict and no lock is needed.
 */
export class BlobStore {
  constructor(private readonly root: string) {}

  pathOf(sha256: string): string {
    return join(this.root, 'blobs', 'sha256', ...artifactIdPath(sha256).split('/'));
  }

  async put(bytes: Uint8Array): Promise<ArtifactRef> {
    const sha256 = sha256Hex(bytes);
    const path = this.pathOf(sha256);
    // An intact copy is kept; a damaged one is replaced by the good bytes.
    const intact = await this.get(sha256).then(
      () => true,
      () => false,
    );
    if (!intact) {
      await mkdir(join(path, '..'), { recursive: true });
      await writeFileAtomic(path, bytes);
    }
    return { sha256, sizeBytes: bytes.byteLength };
  }

  async get(sha256: string): Promise<Uint8Array> {
    const path = this.pathOf(sha256);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ArtifactNotFoundError(sha256);
      throw err;
    }
    const actual = sha256Hex(bytes);
    if (actual !== sha256) throw new ArtifactIntegrityError(sha256, actual, path);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await stat(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }
}
