import type { DriftAlert, PerformanceReport } from '../signals.js';
import type { DriftFinding } from './drift-finding.js';
import type { PerformanceFinding } from './performance-finding.js';

/**
 * The payload of each flywheel signal the monitor may send, keyed by the signal's name.
 * contracts/production-monitor.ts pairs every key with the flywheel's signal message, so a
 * renamed signal fails to compile here instead of going out under its old name.
 */
export interface MonitorSignalPayloads {
  driftAlert: DriftAlert;
  performanceReport: PerformanceReport;
}
export type MonitorSignalName = keyof MonitorSignalPayloads;

/** One signal the monitor asks its workflow to send: the name is recorded with the finding in history. */
export type MonitorSignal = {
  [K in MonitorSignalName]: { readonly signal: K; readonly payload: MonitorSignalPayloads[K] };
}[MonitorSignalName];

/** When each kind was last signalled (epoch ms), carried by the monitor workflow. */
export type LastSignals = { readonly [K in MonitorSignalName]?: number };

/** One check of one model: what the monitor saw and which signals it asks the workflow to send. */
export interface MonitorFinding {
  atMs: number;
  modelId: string;
  /** The version answering the champion share of traffic; null when the model is not served. */
  championVersion: number | null;
  /** When that version started serving as champion (epoch ms). */
  championSinceMs: number | null;
  drift: DriftFinding | null;
  performance: PerformanceFinding | null;
  signals: MonitorSignal[];
  summary: string;
}
