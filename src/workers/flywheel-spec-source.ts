import { WorkflowNotFoundError } from '@temporalio/common';
import type { FlywheelClient } from '../clients/flywheel-client.js';
import type { ModelSpecSource } from '../serving/serving-schemas.js';

/**
 * The gateway's spec source under `flywheel up`: each model's flywheel holds its current
 * spec (the one `flywheel start` or `updatePolicy` installed), so request checks follow a
 * spec change without a restart. A model without a flywheel has no spec (null); a query
 * that fails or outlives `deadlineMs` throws, and the gateway keeps its last known spec
 * (or the served artifact's own schema), never failing a request over it.
 */
export function flywheelSpecSource(flywheels: FlywheelClient, deadlineMs = 5_000): ModelSpecSource {
  return {
    async getSpec(modelId) {
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), deadlineMs);
      try {
        const status = await flywheels.client.withAbortSignal(deadline.signal, () =>
          flywheels.status(modelId, { liveCycle: false }),
        );
        return status.spec ?? null;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return null;
        throw err;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
