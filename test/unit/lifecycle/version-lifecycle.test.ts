import { describe, expect, it } from 'vitest';
import type { Stage } from '../../../src/domain/records/stages.js';
import {
  applyVersionEvent,
  eventForAlias,
  eventForStageChange,
  IllegalVersionTransitionError,
  VERSION_LIFECYCLE,
  VersionEvent,
  transitionOf,
  type LifecycleState,
} from '../../../src/domain/records/version-lifecycle.js';

const at = (stage: LifecycleState) => ({ modelId: 'sea', version: 3, stage });

/** Every legal move, written out by hand: the table must say exactly this. */
const LEGAL: [LifecycleState, VersionEvent, Stage, Record<string, string>][] = [
  ['unregistered', 'registered', 'candidate', {}],
  ['candidate', 'gateRejected', 'rejected', {}],
  ['candidate', 'approved', 'approved', {}],
  ['candidate', 'approvalRejected', 'rejected', {}],
  ['candidate', 'approvalTimedOut', 'rejected', {}],
  ['candidate', 'cancelled', 'rolled_back', { challenger: 'release' }],
  ['approved', 'rolloutStarted', 'approved', { challenger: 'take' }],
  ['approved', 'promoted', 'production', { champion: 'take', challenger: 'release' }],
  ['approved', 'rolledBack', 'rolled_back', { challenger: 'release' }],
  ['approved', 'aborted', 'rolled_back', { challenger: 'release' }],
  ['approved', 'cancelled', 'rolled_back', { challenger: 'release' }],
  ['production', 'replaced', 'archived', { champion: 'release' }],
];

describe('version lifecycle table', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, event, to, aliases) => {
    expect(applyVersionEvent(at(from), event)).toEqual({ stage: to, aliases, changed: from !== to });
  });

  it('allows nothing else', () => {
    const legal = Object.entries(VERSION_LIFECYCLE).flatMap(([stage, row]) =>
      Object.keys(row).map((e) => `${stage}:${e}`),
    );
    expect(legal.sort()).toEqual(LEGAL.map(([s, e]) => `${s}:${e}`).sort());
  });

  it.each([
    ['candidate', 'promoted', 'approvalRejected'],
    ['candidate', 'rolloutStarted', 'approved'],
    ['approved', 'approvalRejected', 'rolloutStarted'],
    ['production', 'cancelled', 'replaced'],
    ['production', 'rolledBack', 'replaced'],
    ['archived', 'promoted', 'none, archived is final'],
    ['rolled_back', 'approved', 'none, rolled_back is final'],
    ['rejected', 'rolloutStarted', 'none, rejected is final'],
    ['unregistered', 'approved', 'registered'],
  ] as [LifecycleState, VersionEvent, string][])(
    'refuses %s --%s-->, naming the version, its stage and the event',
    (stage, event, allowed) => {
      const err = (() => {
        try {
          applyVersionEvent(at(stage), event);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(IllegalVersionTransitionError);
      expect(err).toMatchObject({ modelId: 'sea', version: 3, stage, event });
      expect((err as Error).message).toContain(`model sea v3 is ${stage}: event "${event}" is not allowed there`);
      expect((err as Error).message).toContain(allowed);
    },
  );

  it('treats an event whose stage the version already has as a retry: nothing changes, the aliases apply again', () => {
    expect(applyVersionEvent(at('production'), 'promoted')).toEqual({
      stage: 'production',
      aliases: { champion: 'take', challenger: 'release' },
      changed: false,
    });
    expect(applyVersionEvent(at('rolled_back'), 'cancelled')).toEqual({
      stage: 'rolled_back',
      aliases: { challenger: 'release' },
      changed: false,
    });
    expect(applyVersionEvent(at('archived'), 'replaced')).toEqual({
      stage: 'archived',
      aliases: { champion: 'release' },
      changed: false,
    });
    expect(applyVersionEvent(at('approved'), 'approved')).toEqual({ stage: 'approved', aliases: {}, changed: false });
    // Same stage, other event: the stage agrees, so a retry of either is harmless.
    expect(applyVersionEvent(at('rejected'), 'gateRejected').changed).toBe(false);
  });

  it('gives each event one target, and says whether it moves the stage', () => {
    for (const [, event, to, aliases] of LEGAL)
      expect(transitionOf(event)).toEqual({ stage: to, aliases, movesStage: event !== 'rolloutStarted' });
  });

  it('maps the bare stage and alias writes of older histories to the events that make them', () => {
    expect(eventForStageChange('candidate', 'approved')).toBe(VersionEvent.approved);
    expect(eventForStageChange('candidate', 'rejected')).toBe(VersionEvent.gateRejected);
    expect(eventForStageChange('candidate', 'rolled_back')).toBe(VersionEvent.cancelled);
    expect(eventForStageChange('approved', 'production')).toBe(VersionEvent.promoted);
    expect(eventForStageChange('approved', 'rolled_back')).toBe(VersionEvent.rolledBack);
    expect(eventForStageChange('production', 'archived')).toBe(VersionEvent.replaced);
    // The defect of issue #14: a cancel after promotion must not mark the served version rolled back.
    expect(eventForStageChange('production', 'rolled_back')).toBeUndefined();
    expect(eventForStageChange('approved', 'approved')).toBeUndefined();
    expect(eventForAlias('champion')).toBe(VersionEvent.promoted);
    expect(eventForAlias('challenger')).toBe(VersionEvent.rolloutStarted);
  });
});
