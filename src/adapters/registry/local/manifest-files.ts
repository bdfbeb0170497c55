import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { modelVersionSchema, type ModelVersion } from '../../../domain/records/index.js';
import { CorruptManifestError } from '../registry-errors.js';
import { TMP_MARKER, writeFileAtomic } from './atomic-file.js';

/**
 * One JSON file per version, `<root>/models/<modelId>/versions/000042.json`. The file's
 * appearance under its final name (an atomic rename) is the single commit point of a
 * registration, and it carries the cycle id, so "version exists" and "cycle is recorded"
 * can never disagree.
 */
export class ManifestFiles {
  constructor(private readonly root: string) {}

  modelDir(modelId: string): string {
    return join(this.root, 'models', modelId);
  }

  versionsDir(modelId: string): string {
    return join(this.modelDir(modelId), 'versions');
  }

  pathOf(modelId: string, version: number): string {
    return join(this.versionsDir(modelId), `${String(version).padStart(6, '0')}.json`);
  }

  /** Committed version numbers, ascending. */
  async versionNumbers(modelId: string): Promise<number[]> {
    const names = await readdir(this.versionsDir(modelId)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    return names
      .map((n) => /^(\d+)\.json$/.exec(n)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  async read(modelId: string, version: number): Promise<ModelVersion | null> {
    const path = this.pathOf(modelId, version);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return parseManifest(path, text);
  }

  async write(manifest: ModelVersion): Promise<void> {
    await writeFileAtomic(this.pathOf(manifest.modelId, manifest.version), `${JSON.stringify(manifest, null, 2)}\n`);
  }

  /** Removes temp files of interrupted writes. Call only while holding the model's lock. */
  async sweepDebris(modelId: string): Promise<void> {
    const dir = this.versionsDir(modelId);
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(
      names.filter((n) => n.includes(TMP_MARKER)).map((n) => unlink(join(dir, n)).catch(() => undefined)),
    );
  }
}

export function parseManifest(path: string, text: string): ModelVersion {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CorruptManifestError(path, `not JSON (${(err as Error).message})`);
  }
  const parsed = modelVersionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CorruptManifestError(path, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
