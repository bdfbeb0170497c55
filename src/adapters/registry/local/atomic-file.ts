import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Marker in temp file names; anything carrying it is debris from an interrupted write. */
export const TMP_MARKER = '.tmp-';

/**
 * Writes a file so that readers (and a process killed at any instant) see either the old
 * content or the new one, never a mix: write a temp file in the same directory, fsync it,
 * rename it over the target (atomic on POSIX), then fsync the directory so the rename
 * itself survives a power cut.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}${TMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`;
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dirname(path));
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
