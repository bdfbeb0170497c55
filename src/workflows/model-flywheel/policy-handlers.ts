import { ApplicationFailure, log, setHandler } from '@temporalio/workflow';
import type { Flywheel } from '../../domain/flywheel/flywheel-state.js';
import { applyPolicyChange, checkPolicyUpdate, type PolicyChange } from '../../domain/flywheel/policy-change.js';
import { updatePolicySignal, updatePolicyUpdate, type PolicyUpdatePayload } from './contract.js';

/** `type` of the failure a caller gets if a change passed the validator but not the handler (it cannot: same check, same state). */
export const INVALID_POLICY_UPDATE = 'InvalidPolicyUpdate';

/**
 * Installs both ways to change the policy, sharing one check ({@link checkPolicyUpdate}):
 * the `updatePolicy` update, whose validator refuses a bad change before anything enters
 * history and whose handler answers what changed; and the `updatePolicy` signal twin
 * (signal-with-start, `temporal workflow signal`), which drops and counts a bad change.
 */
export function installPolicyHandlers(fw: Flywheel): void {
  setHandler(
    updatePolicyUpdate,
    (raw: PolicyUpdatePayload): PolicyChange => {
      const check = checkPolicyUpdate(fw.spec, raw);
      if (!check.ok) throw ApplicationFailure.create({ type: INVALID_POLICY_UPDATE, message: check.refusal, nonRetryable: true });
      return applyPolicyChange(fw, check, Date.now());
    },
    {
      validator: (raw: PolicyUpdatePayload): void => {
        const check = checkPolicyUpdate(fw.spec, raw);
        if (!check.ok) throw new Error(check.refusal);
      },
    },
  );
  setHandler(updatePolicySignal, (raw) => {
    const check = checkPolicyUpdate(fw.spec, raw);
    if (check.ok) {
      applyPolicyChange(fw, check, Date.now());
      return;
    }
    log.warn('dropped an updatePolicy signal', { error: check.error });
    fw.rejectInput('updatePolicy', check.error, Date.now());
  });
}
