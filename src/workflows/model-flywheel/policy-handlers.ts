import { log, setHandler } from '@temporalio/workflow';
import type { Flywheel } from '../../domain/flywheel/flywheel-state.js';
import { applyPolicyChange, checkPolicyUpdate, type PolicyChange } from '../../domain/flywheel/policy-change.js';
import { refuseUpdate } from '../shared/refuse-update.js';
import { updatePolicySignal, updatePolicyUpdate, type PolicyUpdatePayload } from '../../contracts/model-flywheel.js';

/**
 * Installs both ways to change the policy, sharing one check ({@link checkPolicyUpdate}):
 * the `updatePolicy` update, whose validator refuses a bad change before anything enters
 * history and whose handler answers what changed; and the `updatePolicy` signal twin
 * (signal-with-start, `temporal workflow signal`), which drops and counts a bad change.
 */
export function installPolicyHandlers(fw: Flywheel): void {
  setHandler(
    updatePolicyUpdate.definition,
    (raw: PolicyUpdatePayload): PolicyChange => {
      const check = checkPolicyUpdate(fw.spec, raw);
      // Cannot happen after the validator (same check, same state, same activation), but never apply an unchecked change.
      if (!check.ok) throw refuseUpdate(check.refusal);
      return applyPolicyChange(fw, check, Date.now());
    },
    {
      validator: (raw: PolicyUpdatePayload): void => {
        const check = checkPolicyUpdate(fw.spec, raw);
        if (!check.ok) throw refuseUpdate(check.refusal);
      },
    },
  );
  setHandler(updatePolicySignal.definition, (raw) => {
    const check = checkPolicyUpdate(fw.spec, raw);
    if (check.ok) {
      applyPolicyChange(fw, check, Date.now());
      return;
    }
    log.warn('dropped an updatePolicy signal', { error: check.error });
    fw.rejectInput(updatePolicySignal.name, check.error, Date.now());
  });
}
