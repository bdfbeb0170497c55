import type { CycleActivities, FlywheelClientActivities, RolloutActivities } from '../activity-types.js';
import { transitionOf } from '../../domain/records/version-lifecycle.js';
import type { VersionChange } from '../../domain/records/version-changes.js';
import type { ActivityDescriptions } from './described-activities.js';

/**
 * How each activity call reads in the Temporal UI. One sentence per call, built from its
 * input, so an event history reads as what the flywheel did, not just which function ran.
 */
export const cycleActivitySummaries: ActivityDescriptions<CycleActivities> = {
  getChampion: (modelId) => `find the champion of ${modelId}`,
  snapshotData: ({ spec, cycleId }) => `snapshot ${spec.id} data for ${cycleId}`,
  validateData: ({ spec, snapshot, championVersion }) =>
    `validate snapshot ${snapshot.snapshotId} of ${spec.id}${championVersion !== undefined ? ` and its drift vs champion v${championVersion}` : ''}`,
  trainModel: ({ spec, snapshot }) => `train ${spec.id} on ${snapshot.snapshotId}`,
  evaluateCandidate: ({ spec, snapshot, championVersion }) =>
    `evaluate the candidate of ${spec.id} on ${snapshot.heldOutRows} held-out rows${championVersion !== undefined ? ` against champion v${championVersion}` : ' (no champion yet)'}`,
  registerCandidate: ({ modelId, lineage }) =>
    `register a candidate of ${modelId} trained on ${lineage.dataset.snapshotId}`,
  recordApproval: ({ modelId, version, approval }) =>
    `record ${approval.decision} of ${modelId} v${version} by ${approval.by}`,
  applyVersionEvent: ({ modelId, version, event }) => `${modelId} v${version} ${event} → ${transitionOf(event).stage}`,
  setStage: ({ modelId, version, stage }) => `${modelId} v${version} → ${stage}`,
  setAlias: ({ modelId, alias, version }) => `${alias} of ${modelId} → v${version}`,
  recordRolloutOutcome: ({ modelId, version, outcome }) =>
    `record rollout ${outcome.outcome} of ${modelId} v${version}`,
  recordVersionChanges: ({ modelId, changes }) =>
    `${modelId}: ${changes.map((c) => `v${c.version} ${changeSummary(c)}`).join('; ')}`,
};

/** One write of `recordVersionChanges` as the UI reads it. */
function changeSummary(c: VersionChange): string {
  if (c.kind === 'approval') return `record ${c.approval.decision} by ${c.approval.by}`;
  if (c.kind === 'rolloutOutcome') return `record rollout ${c.outcome.outcome}`;
  return `${c.event} → ${transitionOf(c.event).stage}`;
}

export const rolloutActivitySummaries: ActivityDescriptions<RolloutActivities> = {
  getRouting: (modelId) => `read the routing of ${modelId}`,
  readLiveMetrics: ({ modelId, version }) => `read live metrics of ${modelId} v${version}`,
  checkServable: ({ modelId, version, snapshot }) =>
    `check that ${modelId} v${version} loads from verified bytes and answers ${snapshot ? `held-out rows of ${snapshot.snapshotId}` : 'a smoke row'}`,
  readLoadFailures: ({ modelId, version }) => `read the gateway's refusals of ${modelId} v${version}`,
};

export const flywheelClientActivitySummaries: ActivityDescriptions<FlywheelClientActivities> = {
  signalFlywheelRetrain: ({ modelId, scheduleId }) => `ask flywheel:${modelId} for a retrain (schedule ${scheduleId})`,
};
