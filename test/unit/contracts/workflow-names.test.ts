import { describe, expect, it } from 'vitest';
import { FLEET_MONITOR_WORKFLOW } from '../../../src/contracts/fleet-monitor.js';
import { MODEL_FLYWHEEL_WORKFLOW } from '../../../src/contracts/model-flywheel.js';
import { PRODUCTION_MONITOR_WORKFLOW } from '../../../src/contracts/production-monitor.js';
import { ROLLOUT_WORKFLOW } from '../../../src/contracts/rollout.js';
import { SCHEDULED_RETRAIN_WORKFLOW } from '../../../src/contracts/scheduled-retrain.js';
import {
  SMOKE_HISTORY_GROWTH_WORKFLOW,
  SMOKE_LONG_SLEEP_WORKFLOW,
  SMOKE_ROUND_TRIP_WORKFLOW,
} from '../../../src/contracts/smoke.js';
import { TRAINING_CYCLE_WORKFLOW } from '../../../src/contracts/training-cycle.js';
import * as workflows from '../../../src/workflows/index.js';
import * as smokeWorkflows from '../../../src/workflows/smoke/index.js';

// Clients start workflows by the type name in the contract; the worker registers them by export name.
describe('workflow type names in the contracts', () => {
  it('are exactly the names the orchestration worker registers', () => {
    expect(Object.keys(workflows).sort()).toEqual(
      [
        MODEL_FLYWHEEL_WORKFLOW,
        TRAINING_CYCLE_WORKFLOW,
        ROLLOUT_WORKFLOW,
        SCHEDULED_RETRAIN_WORKFLOW,
        PRODUCTION_MONITOR_WORKFLOW,
        FLEET_MONITOR_WORKFLOW,
      ].sort(),
    );
  });

  it('are exactly the names the smoke bundle registers', () => {
    expect(Object.keys(smokeWorkflows).sort()).toEqual(
      [SMOKE_ROUND_TRIP_WORKFLOW, SMOKE_LONG_SLEEP_WORKFLOW, SMOKE_HISTORY_GROWTH_WORKFLOW].sort(),
    );
  });
});
