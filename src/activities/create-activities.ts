import { createEvaluationActivities, type EvaluationActivityDeps } from './evaluation-activities.js';
import { createRegistryActivities, type RegistryActivityDeps } from './registry-activities.js';
import { createServingActivities, type ServingActivityDeps } from './serving-activities.js';

/** Every adapter the activities need; the worker entrypoint builds them from config. */
export type ActivityDeps = RegistryActivityDeps & ServingActivityDeps & EvaluationActivityDeps;

/**
 * All activities of ct-flywheel over one set of adapters. Workers register the result;
 * workflows type their proxies as `ReturnType<typeof createActivities>`; tests build it
 * over temp-dir adapters.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createRegistryActivities(deps),
    ...createServingActivities(deps),
    ...createEvaluationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
