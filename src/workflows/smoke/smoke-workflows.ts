import { condition, log, proxyActivities, sleep, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createSmokeActivities } from '../../activities/smoke.js';
import {
  addNoteSignal,
  FINISH_NOTE,
  stateQuery,
  type SmokeHistoryGrowthResult,
  type SmokeLongSleepResult,
  type SmokeRoundTripInput,
  type SmokeState,
} from '../../contracts/smoke.js';

const { greet } = proxyActivities<ReturnType<typeof createSmokeActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});

/** Calls an activity, takes signals and answers queries until the `finish` note arrives. */
export async function smokeRoundTrip(input: SmokeRoundTripInput): Promise<SmokeState> {
  const state: SmokeState = { greeting: undefined, notes: [], finished: false };
  setHandler(stateQuery.definition, () => state);
  setHandler(addNoteSignal.definition, (note) => {
    state.notes.push(note);
  });
  state.greeting = await greet(input.name);
  log.info('smoke workflow greeted', { name: input.name });
  await condition(() => state.notes.includes(FINISH_NOTE));
  state.finished = true;
  return state;
}

/** Sleeps on a durable timer; the workflow clock shows how much server time passed. */
export async function smokeLongSleep(days: number): Promise<SmokeLongSleepResult> {
  const startedAtMs = Date.now();
  await sleep(days * 24 * 60 * 60 * 1000);
  return { startedAtMs, finishedAtMs: Date.now() };
}

/** Grows its history with short timers until the server suggests continue-as-new (or maxSteps). */
export async function smokeHistoryGrowth(maxSteps: number): Promise<SmokeHistoryGrowthResult> {
  let steps = 0;
  while (steps < maxSteps && !workflowInfo().continueAsNewSuggested) {
    await sleep(50);
    steps += 1;
  }
  const info = workflowInfo();
  return { steps, continueAsNewSuggested: info.continueAsNewSuggested, historyLength: info.historyLength };
}
