import { z } from 'zod';
import { queryMessage, signalMessage } from './message.js';

/**
 * Contract of the smoke workflows, which only prove that a server, a worker, the
 * bundler and logging work end to end. Clients and tests import this, never the body.
 */
export const SMOKE_ROUND_TRIP_WORKFLOW = 'smokeRoundTrip';
export const SMOKE_LONG_SLEEP_WORKFLOW = 'smokeLongSleep';
export const SMOKE_HISTORY_GROWTH_WORKFLOW = 'smokeHistoryGrowth';

export interface SmokeRoundTripInput {
  name: string;
}

export interface SmokeState {
  greeting: string | undefined;
  notes: string[];
  finished: boolean;
}

export interface SmokeLongSleepResult {
  /** Workflow clock (server time) when the workflow started and after its sleep, epoch ms. */
  startedAtMs: number;
  finishedAtMs: number;
}

/** Appends a note; the note `finish` ends the round trip. */
export const addNoteSignal = signalMessage('addNote', z.string());
export const stateQuery = queryMessage<SmokeState>()('state');

export const FINISH_NOTE = 'finish';

export interface SmokeHistoryGrowthResult {
  /** Steps taken (one short timer each) before the server suggested continue-as-new. */
  steps: number;
  continueAsNewSuggested: boolean;
  historyLength: number;
}

export type SmokeRoundTripWorkflow = (input: SmokeRoundTripInput) => Promise<SmokeState>;
export type SmokeLongSleepWorkflow = (days: number) => Promise<SmokeLongSleepResult>;
export type SmokeHistoryGrowthWorkflow = (maxSteps: number) => Promise<SmokeHistoryGrowthResult>;
