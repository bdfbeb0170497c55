import { FailureType } from '../../../domain/failure-types.js';
import { CycleStop, type CycleStepModule } from '../cycle-run.js';
import { applicationFailure, data } from '../cycle-steps.js';

/** Checks data quality and drift against the champion; bad data ends the cycle before training. */
export const validateStep: CycleStepModule = {
  name: 'validate',
  async run(c) {
    const { champion } = c.facts;
    try {
      const validation = await data.validateData({
        spec: c.input.spec,
        snapshot: c.need('snapshot'),
        ...(champion ? { championVersion: champion.version } : {}),
      });
      const notes = validation.summary.length > 0 ? validation.summary.join('; ') : 'no problems found';
      if (!validation.passed) {
        c.report.failed('validate', notes, { validation: compact(validation) });
        throw new CycleStop('dataInvalid', `data validation failed: ${notes}`);
      }
      const drift = validation.driftSkipped
        ? `drift not checked: ${validation.driftSkipped}`
        : 'drift vs the champion recorded';
      c.report.ok('validate', `data quality passed (${notes}); ${drift}`, { validation: compact(validation) });
    } catch (err) {
      const failure = applicationFailure(err, FailureType.DataValidationFailed);
      if (!failure) throw err;
      c.report.failed('validate', failure.message, { validation: compact(failure.details?.[0]) });
      throw new CycleStop('dataInvalid', `data validation failed: ${failure.message}`);
    }
  },
};

/** Keeps a validation report small in the cycle report (payloads stay far below 2 MB). */
function compact(x: unknown): unknown {
  const s = JSON.stringify(x ?? null);
  return s.length <= 4000 ? x : { truncated: true, preview: s.slice(0, 4000) };
}
