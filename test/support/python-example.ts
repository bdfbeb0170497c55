import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDataSources } from '../../src/adapters/data-sources/index.js';
import type { SnapshotRef } from '../../src/domain/records/snapshot-ref.js';
import { loadModelSpec } from '../../src/adapters/spec-loader.js';
import { CommandTrainer } from '../../src/adapters/trainers/command-trainer.js';
import type { ModelSpec } from '../../src/domain/model-spec/model-spec.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Creates the project's Python venv (examples/python-common/ensure-venv.sh: minutes the first time,
 * instant afterwards) with the given requirements files, and returns its python.
 */
export async function ensurePython(...requirements: string[]): Promise<string> {
  const script = path.join(REPO, 'examples/python-common/ensure-venv.sh');
  const { stdout } = await promisify(execFile)('bash', [script, ...requirements.map((r) => path.join(REPO, r))], {
    cwd: REPO,
  });
  return stdout.trim().split('\n').at(-1)!;
}

export interface PythonExample {
  readonly python: string;
  /** The example spec, its command run by the venv's python (not the spec's `.venv/bin/python`). */
  readonly spec: ModelSpec;
  readonly snapshot: SnapshotRef;
  /** A command trainer that keeps its output dir (the library's own predictions are in it). */
  readonly trainer: CommandTrainer;
  readonly root: string;
}

/** An example spec under examples/ ready to train for real: venv, a snapshot of its data, a trainer. */
export async function preparePythonExample(specFile: string, requirements: string): Promise<PythonExample> {
  const python = await ensurePython(requirements);
  const root = await mkdtemp(path.join(tmpdir(), 'ct-example-'));
  const loaded = await loadModelSpec(path.join(REPO, specFile));
  if (loaded.trainer.kind !== 'command') throw new Error(`${specFile} must use the command trainer`);
  const [, ...args] = loaded.trainer.command;
  const spec: ModelSpec = { ...loaded, trainer: { ...loaded.trainer, command: [python, ...args] } };
  const snapshot = await createDataSources({ snapshotRoot: path.join(root, 'snapshots') })[
    spec.dataSource.kind
  ].snapshot({ spec });
  const trainer = new CommandTrainer({ workRoot: path.join(root, 'work'), keepOutput: true });
  return { python, spec, snapshot, trainer, root };
}
