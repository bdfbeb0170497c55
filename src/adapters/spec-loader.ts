import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ModelSpecError, parseModelSpec, type ModelSpec } from '../domain/model-spec/model-spec.js';

/**
 * Reads a model spec from a `.yaml`/`.yml` or `.json` file, validates it and makes its
 * relative paths (csv data path, command trainer cwd) absolute against the spec's folder,
 * so the parsed spec means the same thing in any worker's working directory.
 * @throws ModelSpecError for an unreadable file, bad YAML/JSON or any invalid field.
 */
export async function loadModelSpec(file: string): Promise<ModelSpec> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (err) {
    throw new ModelSpecError(`Cannot read model spec ${absolute}: ${(err as Error).message}`, [], absolute);
  }
  const raw = decode(text, absolute);
  return resolvePaths(parseModelSpec(raw, absolute), path.dirname(absolute));
}

function decode(text: string, file: string): unknown {
  const ext = path.extname(file).toLowerCase();
  try {
    if (ext === '.json') return JSON.parse(text);
    if (ext === '.yaml' || ext === '.yml') return parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
    throw new ModelSpecError(
      `Model spec ${file} is not valid ${ext.slice(1).toUpperCase()}${where}: ${(err as Error).message}`,
      [],
      file,
    );
  }
  throw new ModelSpecError(
    `Model spec ${file} must end in .yaml, .yml or .json (got "${ext || 'no extension'}")`,
    [],
    file,
  );
}

function resolvePaths(spec: ModelSpec, baseDir: string): ModelSpec {
  const dataSource =
    spec.dataSource.kind === 'csv'
      ? { ...spec.dataSource, path: path.resolve(baseDir, spec.dataSource.path) }
      : spec.dataSource;
  const trainer =
    spec.trainer.kind === 'command'
      ? { ...spec.trainer, cwd: path.resolve(baseDir, spec.trainer.cwd ?? '.') }
      : spec.trainer;
  return { ...spec, dataSource, trainer };
}
