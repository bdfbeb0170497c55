import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { aliasStateSchema } from '../alias-moves.js';
import type { AliasState } from '../model-registry.js';
import { CorruptManifestError } from '../registry-errors.js';
import { writeFileAtomic } from './atomic-file.js';

const EMPTY: AliasState = { aliases: {}, history: [] };

/** `<root>/models/<modelId>/aliases.json`: current aliases plus their full history, replaced atomically. */
export class AliasFile {
  constructor(private readonly modelDir: (modelId: string) => string) {}

  private pathOf(modelId: string): string {
    return join(this.modelDir(modelId), 'aliases.json');
  }

  async read(modelId: string): Promise<AliasState> {
    const path = this.pathOf(modelId);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY;
      throw err;
    }
    const parsed = aliasStateSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new CorruptManifestError(path, parsed.error.issues[0]?.message ?? 'invalid');
    return parsed.data;
  }

  async write(modelId: string, state: AliasState): Promise<void> {
    await writeFileAtomic(this.pathOf(modelId), `${JSON.stringify(state, null, 2)}\n`);
  }
}
