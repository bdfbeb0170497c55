import { groupRows } from './groups.js';
import { checkSameLength, toLabels } from './validate.js';
import { StatsInputError } from '../table.js';

export interface GroupRates {
  readonly group: string;
  readonly count: number;
  readonly positives: number;
  /** Share of rows predicted positive. */
  readonly selectionRate: number;
  /** Recall within the group; null when the group has no positives. */
  readonly truePositiveRate: number | null;
}

export interface FairnessGaps {
  /** max − min selection rate across groups (fairlearn demographic_parity_difference). */
  readonly demographicParityDifference: number;
  /** max − min true positive rate across groups (fairlearn equal_opportunity_difference). */
  readonly equalOpportunityDifference: number;
  /** Groups left out of the equal-opportunity gap because they have no positives. */
  readonly groupsWithoutPositives: readonly string[];
  readonly groups: readonly GroupRates[];
}

export interface FairnessOptions {
  /**
   * How a group with no positive labels enters the equal-opportunity gap. fairlearn
   * counts its true positive rate as 0 ('zero'), so one small group without positives
   * makes the gap look maximal; the default 'exclude' leaves such groups out and lists
   * them in `groupsWithoutPositives`. Use 'zero' for numbers identical to fairlearn.
   */
  readonly groupsWithoutPositives?: 'exclude' | 'zero';
}

/**
 * Demographic parity and equal opportunity differences of hard 0/1 predictions across
 * the groups of a sensitive column (null values form the "(missing)" group), as the
 * between-groups max − min spread that fairlearn reports.
 */
export function fairnessGaps(
  groups: ArrayLike<string | null>,
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: FairnessOptions = {},
): FairnessGaps {
  const what = 'fairnessGaps';
  checkSameLength(what, { groups, yTrue, yPred });
  const labels = toLabels(what, 'yTrue', yTrue);
  const predicted = toLabels(what, 'yPred', yPred, 'predictions');
  const mode = options.groupsWithoutPositives ?? 'exclude';
  const rates: GroupRates[] = [];
  for (const [group, rows] of groupRows(what, groups)) {
    let selected = 0,
      positives = 0,
      hits = 0;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      selected += predicted[i]!;
      positives += labels[i]!;
      hits += labels[i]! & predicted[i]!;
    }
    rates.push({
      group,
      count: rows.length,
      positives,
      selectionRate: selected / rows.length,
      truePositiveRate: positives > 0 ? hits / positives : null,
    });
  }
  const spread = (values: number[]): number => (values.length === 0 ? 0 : Math.max(...values) - Math.min(...values));
  const withoutPositives = rates.filter((r) => r.truePositiveRate === null).map((r) => r.group);
  const tprs = rates.flatMap((r) => (r.truePositiveRate !== null ? [r.truePositiveRate] : mode === 'zero' ? [0] : []));
  if (tprs.length === 0 && mode === 'exclude') {
    throw new StatsInputError(`${what}: no group has a positive label, so equal opportunity is undefined`);
  }
  return {
    demographicParityDifference: spread(rates.map((r) => r.selectionRate)),
    equalOpportunityDifference: spread(tprs),
    groupsWithoutPositives: withoutPositives,
    groups: rates,
  };
}
