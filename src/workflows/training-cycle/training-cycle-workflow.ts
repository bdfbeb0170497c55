import { CancellationScope, isCancellation, setHandler } from '@temporalio/workflow';
import type { CycleReport } from '../../domain/flywheel/cycle-report.js';
import { CycleInputSchema } from '../../domain/flywheel/workflow-inputs.js';
import { parseStartInput } from '../shared/parse-input.js';
import { cycleStatusQuery, TRAINING_CYCLE_WORKFLOW, type CycleInput } from '../../contracts/training-cycle.js';
import { CycleRun, CycleStop } from './cycle-run.js';
import { failureMessage, light } from './cycle-steps.js';
import { CYCLE_STEPS } from './steps/index.js';

/**
 * One run of the CT pipeline: snapshot → validate → train (ct-training) → evaluate →
 * register → approval → rollout child → finalize (steps/). Returns a report of every step
 * and why it ended; only cancellation is rethrown (after the rollout restored routing).
 */
export async function trainingCycle(rawInput: CycleInput): Promise<CycleReport> {
  const input = parseStartInput(CycleInputSchema, rawInput, TRAINING_CYCLE_WORKFLOW) as CycleInput;
  const run = new CycleRun(input);
  setHandler(cycleStatusQuery.definition, () => run.status());
  const { report } = run;

  try {
    run.showDetails();
    run.championKnown(await light().getChampion(input.modelId));
    await run.runSteps(CYCLE_STEPS);
    return await run.finish('promoted', `v${report.candidateVersion} promoted to champion`);
  } catch (err) {
    if (err instanceof CycleStop) return await run.finish(err.outcome, err.reason);
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(async () => {
        // Before finalize the champion still serves (the rollout child restored it). A refusal
        // (the candidate already rejected or rolled back) leaves the record as it is.
        if (report.candidateVersion !== undefined) {
          await run
            .versionEvent(report.candidateVersion, 'cancelled', { by: 'flywheel', reason: 'cycle cancelled' })
            .catch(() => undefined);
        }
        report.failed(run.failedStep(), 'cycle cancelled; routing restored to the champion');
        await run.finish('cancelled', 'cycle cancelled; the champion serves all traffic');
      });
      throw err;
    }
    const reason = `${run.failedStep()} failed: ${failureMessage(err)}`;
    report.failed(run.failedStep(), reason);
    return await run.finish('failed', reason);
  }
}
