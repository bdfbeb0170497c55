import { describe, expect, it } from 'vitest';
import type { MonitorFinding } from '../../../src/domain/monitor/monitor-finding.js';
import { createWorkerMetrics } from '../../../src/metrics/worker-metrics.js';
import { GatewayMetrics } from '../../../src/serving/gateway-metrics.js';
import { monitoringTools, runChecker } from '../../support/monitoring-tools.js';

/** A monitor finding for `version` with two features, one drifted, and a realized accuracy. */
function finding(version: number, accuracy: number | null): MonitorFinding {
  const window = { fromMs: 0, toMs: 1, rows: 500 };
  return {
    atMs: 1_700_000_000_000,
    modelId: 'fraud-sea',
    championVersion: version,
    championSinceMs: 0,
    drift: {
      ...window,
      status: 'drifted',
      score: 0.5,
      driftedFeatures: ['f1'],
      features: [
        { feature: 'f1', drifted: true, test: 'psi', statistic: 0.4, distance: 0.4 },
        { feature: 'f2', drifted: false, test: 'ks', statistic: 0.02, pValue: 0.7 },
      ],
      summary: '1/2 features drifted',
    },
    performance: {
      fromMs: 0,
      toMs: 1,
      status: accuracy === null ? 'insufficientLabels' : 'ok',
      metric: 'accuracy',
      count: 400,
      labeledCount: 300,
      accuracy,
      baseline: 0.9,
      degradation: null,
      z: null,
      summary: '',
    },
    signals: [],
    summary: '',
  };
}

async function promtoolCheck(text: string) {
  const { prometheus } = await monitoringTools();
  return runChecker(prometheus.promtool, ['check', 'metrics'], text);
}

describe('metrics endpoints pass promtool check metrics', () => {
  it('gateway: counters for windowed live accuracy, standard unprefixed process metrics', async () => {
    const m = new GatewayMetrics();
    m.recordLoaded('fraud-sea', 1, { accuracy: 0.9 });
    m.recordLabel('fraud-sea', 1, 'champion', true);
    m.recordLabel('fraud-sea', 1, 'canary', false);
    const text = await m.registry.metrics();
    expect(text).toMatch(/^process_resident_memory_bytes /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
    expect(text).not.toMatch(/_total gauge/);
    // A wrong answer still creates the correct-series (at 0): without it, a model whose every
    // answer is wrong has an empty accuracy ratio and CtLiveAccuracyDrop can never fire.
    expect(text).toContain('ct_gateway_correct_predictions_total{model="fraud-sea",version="1",arm="canary"} 0');
    expect(await promtoolCheck(text)).toEqual({ code: 0, output: '' });
  });

  it('worker: the monitor finding and the flywheel sink, with no stale series after the champion changes', async () => {
    const w = createWorkerMetrics();
    w.monitor.record(finding(1, 0.81));
    w.flywheel.cycleStarted('fraud-sea', 'performance');
    w.flywheel.cycleFinished('fraud-sea', 'performance', 'promoted', 42);
    w.flywheel.triggerState('fraud-sea', 2, 3);
    w.flywheel.approvalOpened('fraud-sea');
    w.flywheel.approvalAnswered('fraud-sea', 'approved', 30);
    let text = await w.registry.metrics();
    expect(text).toContain('ct_monitor_dataset_drift_share{model="fraud-sea",version="1"} 0.5');
    expect(text).toContain(
      'ct_monitor_feature_drift_score{model="fraud-sea",version="1",feature="f1",method="psi"} 0.4',
    );
    expect(text).toContain(
      'ct_monitor_feature_drift_score{model="fraud-sea",version="1",feature="f2",method="ks"} 0.7',
    );
    expect(text).toContain('ct_monitor_feature_drifted{model="fraud-sea",version="1",feature="f1"} 1');
    expect(text).toContain('ct_monitor_realized_accuracy{model="fraud-sea",version="1"} 0.81');
    expect(text).toContain(
      'ct_flywheel_cycles_finished_total{model="fraud-sea",trigger="performance",outcome="promoted"} 1',
    );
    expect(text).toContain('ct_flywheel_pending_triggers{model="fraud-sea"} 2');
    expect(text).toContain('ct_flywheel_approvals_waiting{model="fraud-sea"} 0');
    expect(await promtoolCheck(text)).toEqual({ code: 0, output: '' });

    // v2 takes over with too few labels: nothing of v1 stays, and no accuracy is guessed for v2.
    w.monitor.record(finding(2, null));
    text = await w.registry.metrics();
    expect(text).not.toContain('version="1"');
    expect(text).toContain('ct_monitor_dataset_drift_share{model="fraud-sea",version="2"} 0.5');
    expect(text).not.toMatch(/ct_monitor_realized_accuracy\{/);
  });
});
