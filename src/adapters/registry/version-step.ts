import type { ModelVersion } from '../../domain/records/index.js';
import {
  applyVersionEvent,
  type AppliedTransition,
  type VersionEvent,
} from '../../domain/records/version-lifecycle.js';
import type { ChangeNote } from './model-registry.js';

/**
 * A version record after a lifecycle event at `at`: the new stage appended to its history
 * when the event changes it, the record itself (same object) when the event was already
 * applied. Throws IllegalVersionTransitionError for an event the lifecycle does not allow.
 */
export function stepVersion(
  current: ModelVersion,
  event: VersionEvent,
  at: string,
  note: ChangeNote,
): { next: ModelVersion; transition: AppliedTransition } {
  const transition = applyVersionEvent(current, event);
  const next = transition.changed
    ? {
        ...current,
        stage: transition.stage,
        stageHistory: [...current.stageHistory, { stage: transition.stage, at, ...note }],
      }
    : current;
  return { next, transition };
}
