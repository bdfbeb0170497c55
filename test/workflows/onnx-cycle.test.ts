import { describe, expect, it } from 'vitest';
import { driftAlertSignal } from '../../src/contracts/model-flywheel.js';
import { cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import { uniqueId } from '../support/smoke-worker.js';
import { fixturePath } from '../unit/model-format/onnx-fixtures.js';
import { resultReader, stopFlywheel } from './helpers/wait-for.js';
import { useHarness } from './helpers/use-harness.js';

const ctx = useHarness();

/** A command trainer whose program "trains" by copying an ONNX file into outputDir as model.onnx. */
const copyOnnx = (file: string) => ({
  kind: 'command' as const,
  command: [
    process.execPath,
    '-e',
    `const fs = require('fs'); const i = JSON.parse(fs.readFileSync(process.argv.at(-1), 'utf8')); fs.copyFileSync(${JSON.stringify(file)}, i.outputDir + '/model.onnx');`,
  ],
  timeoutSeconds: 60,
});

/** One drift-triggered cycle of `spec` against a seeded linear champion; its report. */
async function oneCycle(file: string): Promise<{ report: CycleReport; modelId: string; champion: number }> {
  const modelId = uniqueId('onnx').toLowerCase();
  const spec = ctx.h.spec(modelId, { trainer: copyOnnx(fixturePath(file)) });
  const champion = await ctx.h.seedChampion(spec);
  const report = await ctx.h.run(async () => {
    const flywheel = await ctx.h.flywheels().start(spec);
    await flywheel.signal(driftAlertSignal.definition, { score: 0.8, source: 'monitor', reason: 'f1 PSI 0.41' });
    await ctx.env.sleep('2h');
    const r = await resultReader(ctx.env)<CycleReport>(cycleWorkflowId(modelId, 1));
    await stopFlywheel(flywheel);
    return r;
  });
  return { report, modelId, champion };
}

describe('a cycle whose trainer writes model.onnx', () => {
  it('gates the ONNX candidate against the linear champion and registers it with its ONNX description', async () => {
    // A [N,3] logistic regression: fits the three numeric features of the test spec.
    const { report, modelId } = await oneCycle('bad-feature-count.onnx');
    expect(report.steps.slice(0, 5).map((s) => s.step)).toEqual([
      'snapshot',
      'validate',
      'train',
      'evaluate',
      'register',
    ]);
    expect(report.steps.filter((s) => s.step === 'train' || s.step === 'register').map((s) => s.status)).toEqual([
      'ok',
      'ok',
    ]);
    expect(['promoted', 'gateRejected']).toContain(report.outcome); // judged on its merits, like any candidate
    const candidate = await ctx.h.registry.getVersion(modelId, report.candidateVersion!);
    expect(candidate.lineage.model).toMatchObject({
      format: 'onnx',
      task: 'binaryClassification',
      features: [{ name: 'f1' }, { name: 'f2' }, { name: 'f3' }],
      onnx: { inputLayout: 'matrix', scoreOutput: 'probabilities' },
    });
    expect(candidate.lineage.gate?.latencyP95Ms).toBeGreaterThan(0);
  });

  it('refuses a model.onnx that does not fit the spec before registration: one line, no version, the champion keeps its traffic', async () => {
    const { report, modelId, champion } = await oneCycle('logreg-matrix.onnx');
    expect(report.outcome).toBe('failed');
    const train = report.steps.find((s) => s.step === 'train');
    expect(train?.status).toBe('failed');
    expect(report.reason).toMatch(
      /^train failed: .*model\.onnx: ONNX input 'input' is float32 \[N,2\] but the spec has 3 features: expected float32 \[N,3\] \(f1, f2, f3\)$/,
    );
    expect((await ctx.h.registry.listVersions(modelId)).map((v) => v.version)).toEqual([champion]);
    expect(await ctx.h.serving.getRouting(modelId)).toMatchObject({ championVersion: champion });
    expect((await ctx.h.serving.getRouting(modelId))?.canary).toBeUndefined();
  });
});
