import type { WorkflowExecutionInfo } from '@temporalio/client';
import { flywheelWorkflowId, MODEL_FLYWHEEL_WORKFLOW } from '../contracts/model-flywheel.js';
import { CtModelId, CtStage, CtTrigger, type FlywheelStage } from '../domain/search-attributes.js';

export interface FlywheelListFilter {
  /** Only flywheels at this stage (CtStage): idle, or with a cycle in flight. */
  stage?: FlywheelStage;
  /** Closed flywheels too (completed, cancelled, terminated); default: running ones only. */
  all?: boolean;
}

/** One flywheel as the visibility store knows it: no query is sent, so a list of thousands stays cheap. */
export interface FlywheelListRow {
  modelId: string;
  workflowId: string;
  /** RUNNING, CANCELLED, TERMINATED, … */
  status: string;
  /** CtStage: idle or cycle; null for a flywheel started without search attributes. */
  stage: string | null;
  /** CtTrigger: the trigger kind of the last cycle started. */
  lastTrigger: string | null;
  /** Start of the latest run (a flywheel continues as new, so this is not when the model was first started). */
  runStartedAt: number;
  closedAt: number | null;
  /** The spec summary from the memo (task, trainer, approval, rollout), when there is one. */
  spec: Record<string, unknown> | null;
}

/**
 * The visibility query `flywheel list` sends (and docs/cli.md shows for the `temporal` CLI).
 * Runs that continued as new are left out: each flywheel is listed once, by its latest run.
 */
export function flywheelListQuery(filter: FlywheelListFilter = {}): string {
  const clauses = [`WorkflowType = '${MODEL_FLYWHEEL_WORKFLOW}'`];
  clauses.push(filter.all ? `ExecutionStatus != 'ContinuedAsNew'` : `ExecutionStatus = 'Running'`);
  if (filter.stage) clauses.push(`${CtStage.name} = '${filter.stage}'`);
  return clauses.join(' AND ');
}

/** `flywheel:` — the workflow id of the flywheel of the empty model id. */
const FLYWHEEL_ID_PREFIX = flywheelWorkflowId('');

export function flywheelListRow(info: WorkflowExecutionInfo): FlywheelListRow {
  const sa = info.typedSearchAttributes;
  const spec = info.memo?.spec;
  return {
    modelId: sa.get(CtModelId) ?? info.workflowId.slice(FLYWHEEL_ID_PREFIX.length),
    workflowId: info.workflowId,
    status: info.status.name,
    stage: sa.get(CtStage) ?? null,
    lastTrigger: sa.get(CtTrigger) ?? null,
    runStartedAt: info.startTime.getTime(),
    closedAt: info.closeTime?.getTime() ?? null,
    spec: typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>) : null,
  };
}
