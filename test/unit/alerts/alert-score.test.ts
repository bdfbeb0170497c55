import { describe, expect, it } from 'vitest';
import { alertScore, type ScoreInputs } from '../../../src/alerts/alert-score.js';

const am = { score: 'annotations.score', value: 'annotations.value', severity: 'labels.severity' };
const from = (inputs: Omit<ScoreInputs, 'fields'>): ScoreInputs => ({ ...inputs, fields: am });

describe('alert score rules, one per kind', () => {
  it('takes annotations.score first, then annotations.value, whatever the severity', () => {
    expect(alertScore('drift', from({ score: '0.31', value: '0.9', severity: 'critical' }))).toEqual({
      ok: true,
      score: 0.31,
      from: 'annotations.score',
    });
    expect(alertScore('drift', from({ value: '0.41', severity: 'critical' }))).toEqual({
      ok: true,
      score: 0.41,
      from: 'annotations.value',
    });
    expect(alertScore('performance', from({ value: ' 0.04 ' }))).toEqual({
      ok: true,
      score: 0.04,
      from: 'annotations.value',
    });
    expect(alertScore('newData', from({ value: '2500' }))).toEqual({
      ok: true,
      score: 2500,
      from: 'annotations.value',
    });
  });

  it('maps a severity label to a score for drift only (0..1 scale): info 0.3, warning 0.6, critical 0.9', () => {
    expect(alertScore('drift', from({ severity: 'info' }))).toMatchObject({
      ok: true,
      score: 0.3,
      from: 'labels.severity',
    });
    expect(alertScore('drift', from({ severity: 'warning' }))).toMatchObject({ score: 0.6 });
    expect(alertScore('drift', from({ severity: 'critical' }))).toMatchObject({ score: 0.9 });
  });

  it('holds performance and newData alerts with only a severity to the floor (score 0), saying why', () => {
    const perf = alertScore('performance', from({ severity: 'critical' }));
    expect(perf).toEqual({
      ok: true,
      score: 0,
      held: expect.stringContaining('severity "critical" cannot say how many points of degradation'),
    });
    expect(perf.ok && perf.held).toContain('trigger.floors.performance');
    expect(perf.ok && perf.held).toContain('annotations.score or annotations.value');
    expect(alertScore('newData', from({ severity: 'warning' }))).toMatchObject({
      ok: true,
      score: 0,
      held: expect.stringContaining('new labelled rows'),
    });
  });

  it('holds an alert with no score and no severity to the floor', () => {
    expect(alertScore('drift', from({}))).toMatchObject({
      ok: true,
      score: 0,
      held: expect.stringMatching(/^drift: no score; held to the floor/),
    });
  });

  it('refuses an unknown severity with no score, naming the field, for every scored kind', () => {
    for (const kind of ['drift', 'performance', 'newData'] as const) {
      expect(alertScore(kind, from({ severity: 'page' }))).toEqual({
        ok: false,
        field: 'labels.severity',
        reason: expect.stringContaining('unknown severity "page"'),
      });
    }
    // With a number, an unknown severity does not matter.
    expect(alertScore('performance', from({ score: '0.05', severity: 'page' }))).toMatchObject({
      ok: true,
      score: 0.05,
    });
  });

  it('refuses a score that is not a number or is negative, naming the field', () => {
    expect(alertScore('drift', from({ value: 'high' }))).toEqual({
      ok: false,
      field: 'annotations.value',
      reason: expect.stringContaining('"high" is not a number'),
    });
    expect(alertScore('drift', from({ score: '' }))).toMatchObject({ ok: false, field: 'annotations.score' });
    expect(alertScore('performance', from({ score: '-0.1' }))).toMatchObject({
      ok: false,
      field: 'annotations.score',
      reason: expect.stringContaining('negative'),
    });
  });

  it('clamps drift above 1 (a PSI) only when asked; other kinds keep their number', () => {
    expect(alertScore('drift', from({ score: '1.7', clampDrift: true }))).toMatchObject({ score: 1 });
    expect(alertScore('drift', from({ score: 1.7 }))).toMatchObject({ score: 1.7 });
    expect(alertScore('newData', from({ score: '1.7', clampDrift: true }))).toMatchObject({ score: 1.7 });
  });

  it('gives retrain requests no score', () => {
    expect(alertScore('retrain', from({ severity: 'critical', score: '3' }))).toEqual({ ok: true });
  });
});
