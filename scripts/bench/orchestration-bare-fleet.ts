import { defineSignal } from '@temporalio/workflow';

/**
 * The bare fleet's message: `bench:orchestration` signals it to each `bareParent`
 * (orchestration-workflows.ts), which then starts its child. A contract object of its own
 * so the bench client does not import the workflow bundle's entry.
 */
export const bareGoSignal = defineSignal('bareGo');

/** The child a bare parent starts: what the flywheel's cycle id is to the fleet run. */
export const bareChildId = (parentId: string): string => `${parentId}:child`;
