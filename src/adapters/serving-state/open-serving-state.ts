import { PostgresServingState } from './postgres/postgres-serving-state.js';
import type { ServingStateForGateway } from './serving-state.js';
import { SqliteServingState } from './sqlite/sqlite-serving-state.js';

/** Which store holds routing, the prediction log and alert claims (parsed from config at the edge). */
export type ServingStateSelection = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/**
 * Opens the selected serving state. PostgreSQL migrates its schema in the background; the
 * first call waits for it (use `PostgresServingState.open` to fail at start-up instead).
 */
export function openServingState(selection: ServingStateSelection): ServingStateForGateway {
  return selection.kind === 'postgres'
    ? new PostgresServingState({ url: selection.url })
    : new SqliteServingState({ path: selection.path });
}
