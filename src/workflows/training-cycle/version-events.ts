import { patched } from '@temporalio/workflow';
import { transitionOf, type VersionEvent } from '../../domain/records/version-lifecycle.js';
import type { VersionChange } from '../../domain/records/version-changes.js';
import type { Alias } from '../../domain/records/stages.js';
import { light, quick } from './cycle-steps.js';

/** Marks histories whose registry writes are lifecycle events (one `applyVersionEvent` each). */
export const VERSION_EVENTS_PATCH = 'cycle-version-events';

export interface VersionEventNote {
  readonly by: string;
  readonly reason?: string;
}

/**
 * Records a lifecycle event of `modelId` v`version`: one activity that moves stage and aliases
 * together under the registry's model lock. Histories recorded before the patch scheduled the
 * bare writes the event stands for (a stage write, then the alias it takes); they replay that
 * sequence, and those activities apply the same table on the worker.
 */
export async function writeVersionEvent(
  modelId: string,
  version: number,
  event: VersionEvent,
  note: VersionEventNote,
): Promise<void> {
  if (patched(VERSION_EVENTS_PATCH)) {
    await light().applyVersionEvent({ modelId, version, event, ...note });
    return;
  }
  const t = transitionOf(event);
  if (t.movesStage) await quick.setStage({ modelId, version, stage: t.stage, ...note });
  for (const [alias, effect] of Object.entries(t.aliases) as [Alias, string][]) {
    if (effect === 'take') await quick.setAlias({ modelId, alias, version });
  }
}

/**
 * Marks histories whose cycle steps write their records in one local activity per step
 * (`recordVersionChanges`: the approval and its event; the rollout outcome and the events
 * it leads to) instead of one each: each local activity is a marker in history, a row in
 * the UI and a trip between the workflow and the activity executor inside the task.
 * Histories recorded before it replay one call per write.
 */
export const VERSION_CHANGES_PATCH = 'cycle-version-changes-per-step';

/** Writes one step's records of `modelId`, in order: one call (new histories), or one per write (older ones). */
export async function writeVersionChanges(modelId: string, changes: readonly VersionChange[]): Promise<void> {
  if (patched(VERSION_CHANGES_PATCH)) {
    await light().recordVersionChanges({ modelId, changes: [...changes] });
    return;
  }
  for (const c of changes) {
    if (c.kind === 'approval') await light().recordApproval({ modelId, version: c.version, approval: c.approval });
    else if (c.kind === 'rolloutOutcome')
      await light().recordRolloutOutcome({ modelId, version: c.version, outcome: c.outcome });
    else
      await writeVersionEvent(modelId, c.version, c.event, {
        by: c.by,
        ...(c.reason === undefined ? {} : { reason: c.reason }),
      });
  }
}
