import type { Client } from '@temporalio/client';
import { approveUpdate, type ApprovalAnswer } from '../../src/workflows/training-cycle/contract.js';

/**
 * The scripted human: approves a cycle as `by`, as a person would with
 * `flywheel approve <model> --as <user> --comment "..."`.
 * TODO(lead): switch to running the real `flywheel approve` binary once src/cli lands
 * (same update underneath: `approve` on the cycle workflow, answered by the workflow).
 */
export async function approveAsHuman(client: Client, cycleId: string, by: string, comment: string): Promise<ApprovalAnswer> {
  return client.workflow.getHandle(cycleId).executeUpdate(approveUpdate, { args: [{ cycleId, by, comment }] });
}
