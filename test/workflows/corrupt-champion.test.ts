import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import { retrainRequestedSignal, statusQuery } from '../../src/contracts/model-flywheel.js';
import { cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { uniqueId } from '../support/smoke-worker.js';
import { recordHistory } from './helpers/record-history.js';
import { resultReader, stopFlywheel, waitFor } from './helpers/wait-for.js';
import { useHarness } from './helpers/use-harness.js';

const ctx = useHarness();

/**
 * Issue #16 F4, the corrupt champion: its blob no longer hashes to its id, so it can be
 * neither served nor compared with. The cycle must say so and judge the candidate on the
 * policy's absolute floors, instead of failing at evaluate on every retrain for ever.
 */
describe('a corrupt champion', () => {
  it('is reported, and the next cycle evaluates the candidate against the floors only and promotes it', async () => {
    const modelId = uniqueId('fraud').toLowerCase();
    const spec = ctx.h.spec(modelId);
    const champion = await ctx.h.seedChampion(spec);
    const v1 = await ctx.h.registry.getVersion(modelId, champion);
    // One byte of the champion's blob changes ("intercept":0 → "intercept":1): still a valid model, wrong sha256.
    const path = join(ctx.h.dir, 'registry', 'blobs', 'sha256', v1.artifact.sha256.slice(0, 2), v1.artifact.sha256);
    const text = await readFile(path, 'utf8');
    expect(text).toContain('"intercept":0');
    await writeFile(path, text.replace('"intercept":0', '"intercept":1'));

    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      await flywheel.signal(retrainRequestedSignal.definition, {
        requestedBy: 'bob',
        reason: 'the champion answers 503',
      });
      await ctx.env.sleep('2h');
      const report = await resultReader(ctx.env)<CycleReport>(cycleWorkflowId(modelId, 1));
      await recordHistory(ctx.env.client, report.workflowId, 'cycle-corrupt-champion-replaced');
      // `flywheel status` shows the cycle's reason: the corrupt champion is named there too.
      const status = await waitFor(async () => {
        const s = await flywheel.query(statusQuery.definition);
        return s.recentCycles.length === 1 && s;
      }, 'the flywheel to record the cycle');
      expect(status.recentCycles[0]?.reason).toBe(report.reason);
      await stopFlywheel(flywheel);

      expect(report.outcome).toBe('promoted');
      expect(report.reason).toBe('v2 promoted to champion; champion v1 cannot be served (artifact integrity)');
      expect(report.findings).toEqual([
        expect.stringMatching(
          /^champion v1 cannot be served \(artifact integrity\): artifact .* is corrupt or tampered/,
        ),
      ]);
      const evaluate = report.steps.find((s) => s.step === 'evaluate');
      expect(evaluate).toMatchObject({ status: 'ok' });
      expect(evaluate?.detail).toMatch(
        /champion v1 cannot be served \(artifact integrity\): judged on absolute floors only/,
      );
      expect(evaluate?.data).toMatchObject({ championUnservable: { version: 1, kind: 'artifact integrity' } });
      const v2 = await ctx.h.registry.getVersion(modelId, report.candidateVersion!);
      expect(v2.stage).toBe('production');
      expect(v2.lineage.comparedWith).toBeNull();
      expect(v2.lineage.gate?.reasons.find((r) => r.code === 'champion_unservable')).toMatchObject({
        status: 'skipped',
      });
      expect(v2.lineage.gate?.reasons.find((r) => r.code === 'absolute_floor')).toMatchObject({ status: 'passed' });
      expect((await ctx.h.serving.getRouting(modelId))?.championVersion).toBe(report.candidateVersion);
    });
  });
});
