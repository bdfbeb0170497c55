import { patched } from '@temporalio/workflow';
import { transitionOf, type VersionEvent } from '../../domain/records/version-lifecycle.js';
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
