import type { ModelSpec } from '../domain/model-spec/model-spec.js';

export const SCHEDULED_RETRAIN_WORKFLOW = 'scheduledRetrain';

export interface ScheduledRetrainInput {
  modelId: string;
  scheduleId: string;
  /** Lets a schedule start a flywheel that is not running yet. */
  spec?: ModelSpec;
}

/** Client-side work the workflow cannot do itself: signal-with-start of the model's flywheel. */
export interface FlywheelClientActivities {
  signalFlywheelRetrain(input: ScheduledRetrainInput): Promise<{ workflowId: string }>;
}

export interface ScheduledRetrainResult {
  flywheelId: string;
}

/** The schedule action's signature, for typed starts by type name. */
export type ScheduledRetrainWorkflow = (input: ScheduledRetrainInput) => Promise<ScheduledRetrainResult>;
