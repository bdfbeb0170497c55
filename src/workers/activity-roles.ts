import type { Activities } from '../activities/create-activities.js';
import type { createSmokeActivities } from '../activities/smoke.js';
import type { FlywheelClientActivities } from '../workflows/activity-types.js';
import type { FleetMonitorActivities } from '../contracts/fleet-monitor.js';

/**
 * The two kinds of worker. `orchestration` runs every workflow and the light activities
 * (seconds, many at once); `training` runs the heavy ones (minutes to hours, a few at a time,
 * on machines that can be scaled or given GPUs on their own).
 */
export const WorkerRole = {
  orchestration: 'orchestration',
  training: 'training',
} as const;
export type WorkerRole = (typeof WorkerRole)[keyof typeof WorkerRole];

/** Every activity a worker can register: the factory's, the ones that act as a Temporal client (schedules, the fleet monitor's sweep), and the smoke check's. */
export type WorkerActivities = Activities &
  FlywheelClientActivities &
  FleetMonitorActivities &
  ReturnType<typeof createSmokeActivities>;
export type ActivityName = keyof WorkerActivities;

/**
 * Which worker role runs each activity. Typed over the activity factory, so an activity added
 * to `createActivities` does not compile until it is given a role here, and a role given to an
 * activity that no longer exists does not compile either. The workflows' proxies must agree:
 * the cycle schedules `trainModel` on the training queue (training-cycle/cycle-steps.ts).
 */
export const ACTIVITY_ROLES = {
  snapshotData: 'orchestration',
  validateData: 'orchestration',
  trainModel: 'training',
  evaluateCandidate: 'orchestration',
  registerCandidate: 'orchestration',
  getChampion: 'orchestration',
  getVersion: 'orchestration',
  recordApproval: 'orchestration',
  applyVersionEvent: 'orchestration',
  setStage: 'orchestration',
  setAlias: 'orchestration',
  recordRolloutOutcome: 'orchestration',
  recordVersionChanges: 'orchestration',
  checkServable: 'orchestration',
  readLoadFailures: 'orchestration',
  setRouting: 'orchestration',
  getRouting: 'orchestration',
  readLiveMetrics: 'orchestration',
  inspectProduction: 'orchestration',
  signalFlywheelRetrain: 'orchestration',
  sweepMonitorShard: 'orchestration',
  greet: 'orchestration',
} as const satisfies Record<ActivityName, WorkerRole>;

/** The activities of `all` that workers of `role` register. One without a role would never run: refused. */
export function activitiesOf(role: WorkerRole, all: Partial<WorkerActivities>): Partial<WorkerActivities> {
  const unknown = Object.keys(all).filter((name) => !(name in ACTIVITY_ROLES));
  if (unknown.length > 0)
    throw new TypeError(`no worker role for activity ${unknown.join(', ')}: give it one in ACTIVITY_ROLES`);
  return Object.fromEntries(Object.entries(all).filter(([name]) => ACTIVITY_ROLES[name as ActivityName] === role));
}
