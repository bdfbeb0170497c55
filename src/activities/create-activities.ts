import { createDataActivities, type DataActivityDeps } from './data-activities.js';
import { createEvaluationActivities, type EvaluationActivityDeps } from './evaluation-activities.js';
import { createMonitorActivities, type MonitorActivityDeps } from './monitor-activities.js';
import { createRegistryActivities, type RegistryActivityDeps } from './registry-activities.js';
import { createServiceabilityActivities } from './serviceability-activities.js';
import { createServingActivities, type ServingActivityDeps } from './serving-activities.js';
import { createTrainingActivities, type TrainingActivityDeps } from './training-activities.js';

/**
 * Every adapter the activities need; the worker entrypoint builds them from config
 * (registry root, snapshot root, serving database, trainer work dir).
 */
export type ActivityDeps = RegistryActivityDeps &
  ServingActivityDeps &
  EvaluationActivityDeps &
  DataActivityDeps &
  TrainingActivityDeps &
  Omit<MonitorActivityDeps, 'servingState' | 'registry'>;

/**
 * All activities of ct-flywheel over one set of adapters. Workers register the result
 * (heavy ones on the training queue, the rest on orchestration); workflows type their
 * proxies as `ReturnType<typeof createActivities>`; tests build it over temp-dir adapters.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDataActivities(deps),
    ...createTrainingActivities(deps),
    ...createEvaluationActivities(deps),
    ...createRegistryActivities(deps),
    ...createServingActivities(deps),
    ...createServiceabilityActivities(deps),
    ...createMonitorActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
