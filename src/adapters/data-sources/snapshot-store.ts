import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { featureSchemaSchema, labelSpecSchema, taskSchema } from '../../domain/features.js';
import type { Table } from '../../stats/table.js';
import { formatCsvRow, parseCsv } from './csv-text.js';
import { checkColumns, DatasetTableBuilder, type DatasetSchema } from './dataset-table.js';
import { SnapshotIntegrityError } from './errors.js';
import type { SnapshotRef } from '../../domain/records/snapshot-ref.js';

/** File names inside a snapshot directory (documented in ./snapshot-format.md). */
export const SNAPSHOT_FILES = {
  manifest: 'manifest.json',
  train: 'train.csv',
  heldOut: 'heldout.csv',
  profile: 'reference-profile.json',
} as const;
export const SNAPSHOT_FORMAT = 'ct-flywheel/snapshot@1';

export const snapshotManifestSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  snapshotId: z.string(),
  modelId: z.string(),
  sha256: z.string(),
  rowCount: z.number().int(),
  trainRows: z.number().int(),
  heldOutRows: z.number().int(),
  task: taskSchema,
  features: featureSchemaSchema,
  label: labelSpecSchema,
  files: z.object({ train: z.string(), heldOut: z.string(), profile: z.string() }),
  /** `profile`: the reference profile's bytes as written, which registration checks before recording them (absent on older snapshots). */
  fileSha256: z.object({ train: z.string(), heldOut: z.string(), profile: z.string().optional() }),
  /** Where the rows came from (data source config and window); informational lineage. */
  source: z.record(z.unknown()),
});
export type SnapshotManifest = z.infer<typeof snapshotManifestSchema>;

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** CSV text of a table in schema column order (features…, label), header first. */
export function tableToCsv(table: Table, schema: DatasetSchema): string {
  const names = [...schema.features.map((f) => f.name), schema.label.name];
  const lines = [formatCsvRow(names)];
  for (let r = 0; r < table.rowCount; r++) {
    lines.push(formatCsvRow(names.map((n) => table.columns[n]?.values[r] ?? null)));
  }
  return `${lines.join('\n')}\n`;
}

async function writeDurably(file: string, data: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface WriteSnapshotInput {
  readonly modelId: string;
  readonly schema: DatasetSchema;
  readonly train: Table;
  readonly heldOut: Table;
  readonly profile: unknown;
  readonly source: Record<string, unknown>;
}

/**
 * Writes a snapshot directory atomically: every file goes into a temporary directory that
 * is fsynced and renamed into place, so a reader never sees half a snapshot. Writing the
 * same content twice returns the existing snapshot.
 */
export async function writeSnapshot(root: string, input: WriteSnapshotInput): Promise<SnapshotRef> {
  const trainCsv = tableToCsv(input.train, input.schema);
  const heldOutCsv = tableToCsv(input.heldOut, input.schema);
  const profileJson = `${JSON.stringify(input.profile)}\n`;
  const fileSha256 = { train: sha256(trainCsv), heldOut: sha256(heldOutCsv), profile: sha256(profileJson) };
  const schemaJson = JSON.stringify({
    task: input.schema.task,
    features: input.schema.features,
    label: input.schema.label,
  });
  const digest = sha256(`${SNAPSHOT_FORMAT}\n${fileSha256.train}\n${fileSha256.heldOut}\n${schemaJson}\n`);
  const snapshotId = `${input.modelId}-${digest.slice(0, 16)}`;
  const finalDir = path.join(path.resolve(root), snapshotId);
  const ref: SnapshotRef = {
    snapshotId,
    sha256: digest,
    rowCount: input.train.rowCount + input.heldOut.rowCount,
    trainRows: input.train.rowCount,
    heldOutRows: input.heldOut.rowCount,
    path: finalDir,
    profilePath: path.join(finalDir, SNAPSHOT_FILES.profile),
  };
  if (await exists(path.join(finalDir, SNAPSHOT_FILES.manifest))) return ref;

  const manifest: SnapshotManifest = {
    format: SNAPSHOT_FORMAT,
    snapshotId,
    modelId: input.modelId,
    sha256: digest,
    rowCount: ref.rowCount,
    trainRows: ref.trainRows,
    heldOutRows: ref.heldOutRows,
    task: input.schema.task,
    features: input.schema.features,
    label: input.schema.label,
    files: { train: SNAPSHOT_FILES.train, heldOut: SNAPSHOT_FILES.heldOut, profile: SNAPSHOT_FILES.profile },
    fileSha256,
    source: input.source,
  };
  await mkdir(root, { recursive: true });
  const tmpDir = path.join(path.resolve(root), `.tmp-${snapshotId}-${randomUUID()}`);
  await mkdir(tmpDir);
  try {
    await writeDurably(path.join(tmpDir, SNAPSHOT_FILES.train), trainCsv);
    await writeDurably(path.join(tmpDir, SNAPSHOT_FILES.heldOut), heldOutCsv);
    await writeDurably(path.join(tmpDir, SNAPSHOT_FILES.profile), profileJson);
    // The manifest goes last: its presence marks a complete snapshot.
    await writeDurably(path.join(tmpDir, SNAPSHOT_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(tmpDir, finalDir);
  } catch (err) {
    await rm(tmpDir, { recursive: true, force: true });
    // Another writer renamed the same content into place first: that snapshot is ours too.
    if (await exists(path.join(finalDir, SNAPSHOT_FILES.manifest))) return ref;
    throw err;
  }
  return ref;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Reads and checks a snapshot's manifest. */
export async function readSnapshotManifest(snapshotDir: string): Promise<SnapshotManifest> {
  const file = path.join(snapshotDir, SNAPSHOT_FILES.manifest);
  const text = await readFile(file, 'utf8').catch((err: Error) => {
    throw new SnapshotIntegrityError(`Snapshot ${snapshotDir} has no readable manifest: ${err.message}`);
  });
  const parsed = snapshotManifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new SnapshotIntegrityError(`Snapshot manifest ${file} is malformed: ${parsed.error.message}`);
  return parsed.data;
}

export type SnapshotSplit = 'train' | 'heldOut';

/**
 * Reads one split of a snapshot as a Table (features + label column), verifying the file's
 * sha256 against the manifest first.
 * @throws SnapshotIntegrityError when the file was modified after the snapshot was written
 */
export async function readSnapshotTable(
  snapshotDir: string,
  split: SnapshotSplit,
): Promise<{ table: Table; manifest: SnapshotManifest }> {
  const manifest = await readSnapshotManifest(snapshotDir);
  const file = path.join(snapshotDir, manifest.files[split]);
  const text = await readFile(file, 'utf8');
  if (sha256(text) !== manifest.fileSha256[split]) {
    throw new SnapshotIntegrityError(
      `Snapshot file ${file} does not match its sha256 in the manifest: it was modified after the snapshot was taken`,
    );
  }
  const schema: DatasetSchema = { task: manifest.task, features: manifest.features, label: manifest.label };
  const [header = [], ...rows] = parseCsv(text);
  checkColumns(new Set(header), schema, file);
  const index = new Map(header.map((name, i) => [name, i] as const));
  const builder = new DatasetTableBuilder(schema);
  rows.forEach((row, r) => builder.addCsvRow(index, row, file, r + 2));
  return { table: builder.build(), manifest };
}
