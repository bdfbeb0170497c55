import type { ModelVersion } from '../../../domain/records/index.js';
import { RegistryInputError, RegistryLockTimeoutError } from '../registry-errors.js';
import type { MlflowRest } from './mlflow-rest.js';
import { searchRunsAnswer, emptyAnswer, type MlflowRunInfo } from './mlflow-schemas.js';
import { Tag } from './mlflow-version-tags.js';

export interface ClaimOptions {
  /** How long an attempt waits for a concurrent attempt of the same cycle before RegistryBusy. */
  waitMs: number;
  /** A cycle's run still RUNNING this long after it started, with no version, is a crashed attempt. */
  staleMs: number;
  now: () => number;
}

/**
 * A MLflow filter literal for a cycle id. MLflow's search grammar takes '…' or "…" and no
 * escapes, so an id holding both quote characters cannot be searched for and is refused.
 */
export function filterLiteral(value: string, field: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw new RegistryInputError(
    `invalid ${field}: the MLflow registry cannot search for a value holding both ' and " (${JSON.stringify(value)}); use at most one kind of quote`,
  );
}

export const cycleFilter = (cycleId: string) => `tags.\`${Tag.cycleId}\` = ${filterLiteral(cycleId, 'cycleId')}`;

/** The live (RUNNING) runs of a cycle, oldest first: the first is the attempt that registers. */
async function cycleRuns(rest: MlflowRest, experimentId: string, cycleId: string): Promise<MlflowRunInfo[]> {
  const { runs } = await rest.post(
    'runs/search',
    { experiment_ids: [experimentId], filter: cycleFilter(cycleId), max_results: 100 },
    searchRunsAnswer,
  );
  return runs
    .map((r) => r.info)
    .filter((r) => r.status === 'RUNNING')
    .sort((a, b) => a.start_time - b.start_time || a.run_id.localeCompare(b.run_id));
}

export const endRun = (rest: MlflowRest, runId: string, status: 'FINISHED' | 'FAILED', atMs: number) =>
  rest.post('runs/update', { run_id: runId, status, end_time: atMs }, emptyAnswer);

/**
 * Decides which attempt of a cycle creates its model version. MLflow has no unique key on
 * tags, so every attempt first creates its own run tagged with the cycle id; the oldest
 * RUNNING run (start time, then run id) registers, the others wait for its version and
 * return it. A run left RUNNING by a crashed attempt for `staleMs` is marked FAILED, so the
 * retry takes over. Returns 'won', or the version another attempt created.
 *
 * Exclusive as long as the attempts' clocks agree to within a request's round trip (the run
 * start times are the client's: MLflow records none of its own); the caller checks again
 * right before it creates the version. Temporal runs two attempts of one activity at once
 * only after a start-to-close timeout of an attempt still running.
 */
export async function claimCycle(
  rest: MlflowRest,
  run: MlflowRunInfo,
  cycleId: string,
  findVersion: () => Promise<ModelVersion | null>,
  opts: ClaimOptions,
): Promise<'won' | ModelVersion> {
  const deadline = opts.now() + opts.waitMs;
  for (;;) {
    const first = (await cycleRuns(rest, run.experiment_id, cycleId))[0];
    if (!first || first.run_id === run.run_id) return 'won';
    const done = await findVersion();
    if (done) return done;
    if (opts.now() - first.start_time > opts.staleMs) {
      await endRun(rest, first.run_id, 'FAILED', opts.now());
      continue;
    }
    if (opts.now() > deadline)
      throw new RegistryLockTimeoutError(
        `another attempt is registering cycle ${cycleId} (MLflow run ${first.run_id}, started ${new Date(first.start_time).toISOString()}); retry: a run left by a crashed attempt is taken over ${opts.staleMs / 1000} s after it started`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}
