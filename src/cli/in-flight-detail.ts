import type { Client } from '@temporalio/client';
import { FlywheelClient, type PendingActivity } from '../clients/flywheel-client.js';
import { rolloutWorkflowId, type RolloutStatus } from '../contracts/rollout.js';
import type { FlywheelStatus } from '../domain/flywheel/flywheel-state.js';

/**
 * What the cycle in flight is doing right now, beyond the step the flywheel knows: the
 * activities it waits on (a failing step's attempt count and last error come from the
 * server, which runs the retries) and, during the rollout, the bake in progress.
 */
export interface InFlightDetail {
  /** Pending activities of the cycle and of its rollout. */
  pendingActivities: PendingActivity[];
  rollout?: RolloutStatus;
}

/** Undefined when no cycle is in flight; a part that cannot be read (a closed rollout, an old worker) is left out. */
export async function inFlightDetail(client: Client, status: FlywheelStatus): Promise<InFlightDetail | undefined> {
  const cycleId: unknown = status.inFlight?.workflowId;
  if (typeof cycleId !== 'string') return undefined;
  const flywheels = new FlywheelClient(client);
  const none = () => undefined;
  const inRollout = status.inFlight?.step === 'rollout';
  const [cycleWork, rolloutWork, rollout] = await Promise.all([
    flywheels.pendingActivities(cycleId).catch(none),
    inRollout ? flywheels.pendingActivities(rolloutWorkflowId(cycleId)).catch(none) : undefined,
    inRollout ? flywheels.rolloutStatus(cycleId).catch(none) : undefined,
  ]);
  return { pendingActivities: [...(cycleWork ?? []), ...(rolloutWork ?? [])], ...(rollout ? { rollout } : {}) };
}
