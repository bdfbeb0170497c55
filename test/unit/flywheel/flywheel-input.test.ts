import { describe, expect, it } from 'vitest';
import { parseFlywheelInput } from '../../../src/domain/flywheel/flywheel-input.js';
import { legacySearchAttributesOff } from '../../../src/domain/flywheel/legacy-search-attributes.js';
import { Flywheel } from '../../../src/domain/flywheel/flywheel-state.js';
import { parseModelSpec, type ModelSpecInput } from '../../../src/domain/model-spec/model-spec.js';
import { DEFAULT_TRIGGER_POLICY } from '../../../src/domain/policies/trigger-policy.js';

const WF = 'flywheel:fraud';
/** A spec as written in YAML: durations as text, most policies left to their defaults. */
const raw: ModelSpecInput = {
  id: 'fraud',
  task: 'binaryClassification',
  features: [{ name: 'f1', type: 'numeric' }],
  label: { name: 'y' },
  dataSource: { kind: 'synthetic', generator: { name: 'sea' } },
  trainer: { kind: 'builtin' },
  trigger: { debounceMs: '1m' },
};

describe('modelFlywheel start input', () => {
  it('parses a raw spec, filling in defaults (what `temporal workflow start --input` sends)', () => {
    const p = parseFlywheelInput({ modelId: 'fraud', spec: raw }, WF);
    expect(p.misconfigured).toBeNull();
    expect(p.spec?.trigger).toMatchObject({ debounceMs: 60_000, budget: { windowMs: 86_400_000 } });
    expect(p.spec).toEqual(parseModelSpec(raw));
    expect(p.dropped).toEqual([]);
  });

  it('a parsed spec parses to the same spec (running flywheels replay unchanged; key order may differ)', () => {
    const spec = parseModelSpec(raw);
    expect(parseFlywheelInput({ modelId: 'fraud', spec }, WF).spec).toEqual(spec);
  });

  it('null, a string or an array is a misconfiguration; the model id comes from the workflow id', () => {
    for (const bad of [null, 'garbage', [1]]) {
      const p = parseFlywheelInput(bad, WF);
      expect(p).toMatchObject({ modelId: 'fraud', spec: null });
      expect(p.misconfigured).toMatch(/^\(input\): expected an object/);
    }
  });

  it('a bad spec names the field; the rest of the input is kept', () => {
    const p = parseFlywheelInput(
      { modelId: 'fraud', spec: { ...raw, trigger: { debounceMs: 'soon' } }, options: { historyLimit: 40 } },
      WF,
    );
    expect(p.spec).toBeNull();
    expect(p.misconfigured).toMatch(/^spec is invalid: spec\.trigger\.debounceMs: /);
    expect(p.options).toEqual({ historyLimit: 40 });
  });

  it('drops bad and unknown options one by one, naming each', () => {
    const p = parseFlywheelInput(
      { modelId: 'fraud', options: { historyLimit: -3, codeVersion: 'abc', colour: 'red' } },
      WF,
    );
    expect(p.options).toEqual({ codeVersion: 'abc' });
    expect(p.dropped).toEqual([
      expect.stringMatching(/^options\.historyLimit: /),
      expect.stringMatching(/^options\.colour: unknown option/),
    ]);
    expect(p.misconfigured).toBeNull();
  });

  it('a missing model id is taken from the workflow id and said so', () => {
    const p = parseFlywheelInput({ spec: raw }, WF);
    expect(p.modelId).toBe('fraud');
    expect(p.dropped[0]).toMatch(/^modelId: .*using "fraud" from the workflow id/);
  });

  it('carried state round-trips (old state without run ids too); forged carried state is named', () => {
    const fw = Flywheel.create('fraud', parseModelSpec(raw), DEFAULT_TRIGGER_POLICY);
    fw.apply({ type: 'trigger', trigger: { kind: 'manual', at: 1 } }, 1);
    fw.cycleStarted(1, 'flywheel:fraud:cycle:1', fw.triggerState.running!.batch, 1);
    const carried = fw.snapshot();
    const p = parseFlywheelInput({ modelId: 'fraud', carried }, WF);
    expect(p.misconfigured).toBeNull();
    expect(p.carried).toEqual(carried);
    const forged = parseFlywheelInput({ modelId: 'fraud', carried: { ...carried, totals: { cycles: 'many' } } }, WF);
    expect(forged.carried).toBeUndefined();
    expect(forged.misconfigured).toMatch(/^carried state is invalid: carried\.totals\.cycles: /);
  });
});

describe('the retired searchAttributes switch (recorded histories still carry it)', () => {
  it('is neither an option nor a dropped input: only legacySearchAttributesOff reads it', () => {
    const p = parseFlywheelInput({ modelId: 'fraud', options: { searchAttributes: false } }, WF);
    expect(p.options).toEqual({});
    expect(p.dropped).toEqual([]);
    expect(legacySearchAttributesOff({ modelId: 'fraud', options: { searchAttributes: false } })).toBe(true);
    expect(legacySearchAttributesOff({ modelId: 'fraud', cycle: 1, searchAttributes: false })).toBe(true);
    expect(legacySearchAttributesOff({ modelId: 'fraud', options: {} })).toBe(false);
    expect(legacySearchAttributesOff({ modelId: 'fraud', searchAttributes: true })).toBe(false);
    expect(legacySearchAttributesOff(null)).toBe(false);
  });
});
