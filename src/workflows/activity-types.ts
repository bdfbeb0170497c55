/**
 * The activity types the workflows call. Type-only: workflow code imports nothing at
 * runtime from the activities.
 */
import type { Activities } from '../activities/create-activities.js';

export type { SnapshotRef } from '../domain/records/snapshot-ref.js';
export type { TrainResult } from '../activities/training-activities.js';
export type { EvaluateCandidateResult as GateResult } from '../activities/evaluation-activities.js';
export type { ChampionRef } from '../activities/registry-activities.js';

/** Everything a training cycle calls (data, training, evaluation, registry). */
export type CycleActivities = Pick<
  Activities,
  | 'snapshotData'
  | 'validateData'
  | 'trainModel'
  | 'evaluateCandidate'
  | 'registerCandidate'
  | 'getChampion'
  | 'recordApproval'
  | 'applyVersionEvent'
  | 'setStage'
  | 'setAlias'
  | 'recordRolloutOutcome'
  | 'recordVersionChanges'
>;

/** What the rollout calls: routing, live metrics, and whether the candidate can be served at all. */
export type RolloutActivities = Pick<
  Activities,
  'setRouting' | 'getRouting' | 'readLiveMetrics' | 'checkServable' | 'readLoadFailures'
>;

export type { FlywheelClientActivities } from '../contracts/scheduled-retrain.js';
