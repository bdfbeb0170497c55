import type { CycleStepModule } from '../cycle-run.js';
import { approvalStep } from './approval-step.js';
import { evaluateStep } from './evaluate-step.js';
import { finalizeStep } from './finalize-step.js';
import { registerStep } from './register-step.js';
import { rolloutStep } from './rollout-step.js';
import { snapshotStep } from './snapshot-step.js';
import { trainStep } from './train-step.js';
import { validateStep } from './validate-step.js';

/** The training cycle, in order. A step that ends the cycle early throws CycleStop. */
export const CYCLE_STEPS: readonly CycleStepModule[] = [
  snapshotStep,
  validateStep,
  trainStep,
  evaluateStep,
  registerStep,
  approvalStep,
  rolloutStep,
  finalizeStep,
];
