import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toApplicationFailure } from '../../../src/activities/errors.js';
import { DataSourceError } from '../../../src/adapters/data-sources/errors.js';
import { RegistryLockTimeoutError, VersionNotFoundError } from '../../../src/adapters/registry/registry-errors.js';
import { TrainerCommandError } from '../../../src/adapters/trainers/errors.js';
import {
  FailureType,
  NON_RETRYABLE_FAILURE_TYPES,
  failureTypes,
  isRetryable,
} from '../../../src/domain/failure-types.js';
import { ModelSpecError } from '../../../src/domain/model-spec/model-spec.js';
import {
  dataActivity,
  evaluationActivity,
  quickActivity,
  trainingActivity,
} from '../../../src/workflows/shared/activity-options.js';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));
const VOCABULARY = 'domain/failure-types.ts';

async function sources(dir = SRC): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (entry.name.endsWith('.ts')) out.push({ file: relative(SRC, path), text: await readFile(path, 'utf8') });
  }
  return out;
}

/** Every `type` written inside an `ApplicationFailure.create({ … })` call, as source text (`type` alone for the shorthand). */
function thrownTypes(text: string): string[] {
  const calls = text.split('ApplicationFailure.create(').slice(1);
  return calls.map((call) => {
    const m = /\btype(?::\s*([^,}\n]+)|\s*[,}])/.exec(call);
    return m ? (m[1]?.trim() ?? 'type') : '(no type)';
  });
}

describe('one failure vocabulary (domain/failure-types.ts)', () => {
  it('every ApplicationFailure created in src has a listed type, named through FailureType', async () => {
    const unlisted: string[] = [];
    for (const { file, text } of await sources()) {
      if (file === VOCABULARY) continue;
      for (const type of thrownTypes(text)) {
        const name = /^FailureType\.(\w+)$/.exec(type)?.[1];
        // The mapping's `type` is typed FailureType (tsc checks it); the one dynamic type is an
        // error nobody foresaw, which keeps its class name and stays retryable.
        const mapped = file === 'activities/errors.ts' && (type === 'type' || type === "error.name || 'Error'");
        if (!mapped && !(name && name in FailureType)) unlisted.push(`${file}: type ${type}`);
      }
      if (/ApplicationFailure\.(nonRetryable|retryable)\(/.test(text))
        unlisted.push(`${file}: ApplicationFailure.nonRetryable/retryable hides its type in a positional argument`);
    }
    expect(unlisted).toEqual([]);
  });

  it('no failure type is spelled as a raw string anywhere in src (comments may name one in backticks)', async () => {
    const raw: string[] = [];
    for (const { file, text } of await sources()) {
      if (file === VOCABULARY) continue;
      for (const { type } of failureTypes())
        if (new RegExp(`['"]${type}['"]`).test(text)) raw.push(`${file}: '${type}'`);
    }
    expect(raw).toEqual([]);
  });

  it('every listed type is used somewhere in src (nothing listed that is never thrown)', async () => {
    const all = (await sources())
      .filter((s) => s.file !== VOCABULARY)
      .map((s) => s.text)
      .join('\n');
    const unused = failureTypes()
      .filter(({ type }) => !all.includes(`FailureType.${type}`))
      .map((t) => t.type);
    expect(unused).toEqual([]);
  });

  it('every retry policy lists exactly the non-retryable types of the vocabulary', async () => {
    for (const options of [quickActivity, dataActivity, trainingActivity, evaluationActivity]) {
      expect(options.retry?.nonRetryableErrorTypes).toEqual([...NON_RETRYABLE_FAILURE_TYPES]);
    }
    // Policies declared elsewhere (e.g. the production monitor's check) reuse the same list.
    const lists = (await sources()).flatMap(({ file, text }) =>
      [...text.matchAll(/nonRetryableErrorTypes:\s*([^\s,}]+)/g)].map((m) => `${file}: ${m[1]}`),
    );
    expect(lists.length).toBeGreaterThanOrEqual(5);
    expect(lists.filter((l) => !l.endsWith(': PERMANENT'))).toEqual([]);
  });

  it('the activity mapping sets each failure retryable exactly as the vocabulary says', () => {
    const cases = [
      [new RegistryLockTimeoutError('busy'), FailureType.RegistryBusy],
      [new DataSourceError('unreachable'), FailureType.DataSourceUnavailable],
      [new TrainerCommandError('exit 3', 3, null, []), FailureType.TrainerFailed],
      [new VersionNotFoundError('m', 7), FailureType.VersionNotFound],
      [new ModelSpecError('bad spec', [{ path: 'task', message: 'Required' }]), FailureType.ModelSpecInvalid],
    ] as const;
    for (const [error, type] of cases) {
      expect(toApplicationFailure(error)).toMatchObject({ type, nonRetryable: !isRetryable(type) });
    }
    expect(NON_RETRYABLE_FAILURE_TYPES).not.toContain(FailureType.RegistryBusy);
    expect(NON_RETRYABLE_FAILURE_TYPES).toContain(FailureType.UpdateRefused);
  });
});
