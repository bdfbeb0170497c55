import type { CycleStepModule } from '../cycle-run.js';
import type { VersionChange } from '../../../domain/records/version-changes.js';
import { rolloutOutcomeChange } from './rollout-step.js';

/** Marks histories whose finalize runs in a non-cancellable scope (a cancel after promotion cannot mark the served candidate rolled back). */
export const FINALIZE_NON_CANCELLABLE_PATCH = 'cycle-finalize-non-cancellable';

/**
 * The rollout child has routed all traffic to the candidate: the registry now says so (the
 * candidate in production as champion, the old champion archived). Shielded from cancel, so
 * records and routing cannot disagree.
 */
export const finalizeStep: CycleStepModule = {
  name: 'finalize',
  shielded: {
    patch: FINALIZE_NON_CANCELLABLE_PATCH,
    cancelIgnored: (c) =>
      `cancel requested after v${c.need('version')} took all traffic: the promotion stands and finalize completed`,
  },
  async run(c) {
    const version = c.need('version');
    const { result } = c.need('rollout');
    const { champion } = c.facts;
    const replaced: VersionChange[] = champion
      ? [
          {
            kind: 'event',
            version: champion.version,
            event: 'replaced',
            by: 'flywheel',
            reason: `replaced by v${version}`,
          },
        ]
      : [];
    await c.versionChanges([
      rolloutOutcomeChange(c, 'completed'),
      { kind: 'event', version, event: 'promoted', by: 'rollout', reason: result.reason },
      ...replaced,
    ]);
    c.report.ok('finalize', `v${version} is the champion${champion ? `; v${champion.version} archived` : ''}`);
  },
};
