import type { FlywheelClientActivities } from '../activity-types.js';
import { quickActivity } from '../shared/activity-options.js';
import { flywheelClientActivitySummaries } from '../shared/activity-summaries.js';
import { describedActivities } from '../shared/described-activities.js';
import { ScheduledRetrainInputSchema } from '../../domain/flywheel/workflow-inputs.js';
import { parseStartInput } from '../shared/parse-input.js';
import {
  SCHEDULED_RETRAIN_WORKFLOW,
  type ScheduledRetrainInput,
  type ScheduledRetrainResult,
} from '../../contracts/scheduled-retrain.js';

const { signalFlywheelRetrain } = describedActivities<FlywheelClientActivities>(
  quickActivity,
  flywheelClientActivitySummaries,
);

/**
 * The action of a retrain Schedule: signal-with-start the model's flywheel with a
 * `schedule` trigger. Workflows cannot signal-with-start, so a client activity does it;
 * the flywheel's trigger policy (cooldown, budget) still decides whether a cycle runs.
 */
export async function scheduledRetrain(rawInput: ScheduledRetrainInput): Promise<ScheduledRetrainResult> {
  const input = parseStartInput(
    ScheduledRetrainInputSchema,
    rawInput,
    SCHEDULED_RETRAIN_WORKFLOW,
  ) as ScheduledRetrainInput;
  const { workflowId } = await signalFlywheelRetrain(input);
  return { flywheelId: workflowId };
}
