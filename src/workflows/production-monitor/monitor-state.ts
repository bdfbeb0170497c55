import type { MonitorFinding, MonitorSignalName as SignalName } from '../../domain/monitor/monitor-finding.js';
import type {
  MonitorCarried,
  MonitorFloors,
  MonitorSettings,
  MonitorStatus,
} from '../../contracts/production-monitor.js';

/** How many findings the workflow keeps for the query (and carries across continue-as-new). */
export const RECENT_FINDINGS = 30;

/** The monitor's memory: plain JSON fields so it crosses continue-as-new unchanged. */
export class MonitorState {
  private readonly data: MonitorCarried;

  constructor(carried?: MonitorCarried) {
    this.data = carried ?? {
      checks: 0,
      lastSignals: {},
      signalsSent: { driftAlert: 0, performanceReport: 0 },
      recent: [],
      failures: 0,
    };
  }

  get checks(): number {
    return this.data.checks;
  }

  get lastSignals(): MonitorCarried['lastSignals'] {
    return { ...this.data.lastSignals };
  }

  record(finding: MonitorFinding): void {
    this.data.checks++;
    this.data.recent.push(finding);
    if (this.data.recent.length > RECENT_FINDINGS)
      this.data.recent.splice(0, this.data.recent.length - RECENT_FINDINGS);
  }

  failed(): void {
    this.data.checks++;
    this.data.failures++;
  }

  signalled(signal: SignalName, atMs: number): void {
    this.data.lastSignals[signal] = atMs;
    this.data.signalsSent[signal]++;
  }

  /** Keeps the failure on the finding so the `findings` query shows why no retrain followed. */
  signalFailed(finding: MonitorFinding, signal: SignalName, error: string): void {
    finding.summary = `${finding.summary}; ${signal} not delivered: ${error}`;
  }

  status(modelId: string, settings: MonitorSettings, floors: MonitorFloors, rejectedInputs: number): MonitorStatus {
    const recent = this.data.recent;
    return {
      modelId,
      settings,
      floors,
      checks: this.data.checks,
      failures: this.data.failures,
      lastFinding: recent[recent.length - 1] ?? null,
      recent,
      lastSignals: this.data.lastSignals,
      signalsSent: this.data.signalsSent,
      rejectedInputs,
    };
  }

  carry(): MonitorCarried {
    return JSON.parse(JSON.stringify(this.data)) as MonitorCarried;
  }
}
