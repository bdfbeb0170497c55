import { describe, expect, it } from 'vitest';
import type { ModelMonitorStatus } from '../../../src/contracts/fleet-monitor.js';
import { describeMonitor } from '../../../src/cli/format/monitor-view.js';

const T = Date.parse('2026-11-30T12:00:00Z');
const watched = (over: Partial<ModelMonitorStatus> = {}): Partial<ModelMonitorStatus> => ({
  modelId: 'fraud-sea',
  shardWorkflowId: 'monitor-fleet:ct-orchestration:2-of-4',
  checks: 12,
  lastCheckedAtMs: T + 3_600_000,
  lastFinding: { atMs: T, summary: 'v3: drift stable (0/3 features drifted)' } as ModelMonitorStatus['lastFinding'],
  signalsSent: { driftAlert: 1, performanceReport: 0 },
  ...over,
});

describe('the monitor line of flywheel status', () => {
  it('shows the latest finding, that later checks found the same, the signals sent and the shard', () => {
    expect(describeMonitor(watched())).toBe(
      'v3: drift stable (0/3 features drifted) (found 2026-11-30T12:00:00Z); unchanged at the last check 2026-11-30T13:00:00Z; 12 checks, signalled driftAlert ×1, performanceReport ×0; by monitor-fleet:ct-orchestration:2-of-4',
    );
  });

  it('says when nothing watches the model, or why it could not ask', () => {
    expect(describeMonitor(null)).toMatch(/^not monitored \(flywheel start <spec>/);
    expect(describeMonitor({ unavailable: 'no worker answered' })).toBe('unavailable: no worker answered');
    expect(describeMonitor(watched({ lastFinding: null, checks: 0, lastCheckedAtMs: null }))).toMatch(
      /^no check yet; 0 checks/,
    );
  });
});
