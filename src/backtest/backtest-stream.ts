import type { FeatureSchema } from '../domain/features.js';
import type { Table } from '../stats/table.js';

/**
 * A labelled stream replayed window by window: what the backtest feeds the monitor, the
 * trigger policy and the trainer. Windows are the unit of simulated time; each one's rows
 * hold the features and the label.
 */
export interface BacktestStream {
  /** Short name, e.g. `sea-f3` or the CSV file's name. */
  readonly name: string;
  /** One line for the report: what drifts, when. */
  readonly description: string;
  readonly features: FeatureSchema;
  readonly labelName: string;
  readonly windowCount: number;
  /** Simulated length of one window (the trigger policy's durations are read against it). */
  readonly windowMs: number;
  /** Windows at which the concept P(y|x) changes: where the oracle retrains. Empty when unknown. */
  readonly conceptChanges: readonly number[];
  /** Windows at which only P(x) moves (benign by construction), when the stream knows. */
  readonly covariateShifts: readonly number[];
  /** Features the label does not depend on, when known (SEA's f3): a cycle started by their drift alone is wasted. */
  readonly irrelevantFeatures: readonly string[];
  /** The rows of window `index` (0-based), features plus label; the same rows on every call. */
  window(index: number): Table;
}

export const HOUR_MS = 3_600_000;
