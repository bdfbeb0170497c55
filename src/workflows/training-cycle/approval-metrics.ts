import { proxySinks } from '@temporalio/workflow';
import type { CtSinks } from '../../contracts/metrics-sink.js';

const { ctMetrics } = proxySinks<CtSinks>();

/**
 * Reports one approval wait to the worker's metrics (the `ctMetrics` sink): a person is
 * awaited from now on (what the shipped stuck-approval alert watches), and then how long
 * the wait took and how it ended. Sink calls are skipped during replay.
 */
export function startApprovalWait(modelId: string): { done(decision: 'approved' | 'rejected' | 'timedOut'): void } {
  const openedAt = Date.now();
  ctMetrics.approvalOpened(modelId);
  return {
    done(decision) {
      ctMetrics.approvalAnswered(modelId, decision, (Date.now() - openedAt) / 1000);
    },
  };
}
