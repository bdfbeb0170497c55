import { defineQuery, defineSignal } from '@temporalio/workflow';

/**
 * Contract of the smoke workflows, which only prove that a server, a worker, the
 * bundler and logging work end to end. Clients and tests import this, never the body.
 */
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
export const addNoteSignal = defineSignal<[string]>('addNote');
export const stateQuery = defineQuery<SmokeState>('state');

export const FINISH_NOTE = 'finish';

export interface SmokeHistoryGrowthResult {
  /** Steps taken (one short timer each) before the server suggested continue-as-new. */
  steps: number;
  continueAsNewSuggested: boolean;
  historyLength: number;
}
