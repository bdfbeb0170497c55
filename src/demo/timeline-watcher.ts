import type { ServingStateForGateway } from '../adapters/serving-state/index.js';
import type { FlywheelClient } from '../clients/flywheel-client.js';
import { monitorSignals } from '../contracts/production-monitor.js';
import type { FlywheelStatus } from '../domain/flywheel/flywheel-state.js';
import type { RoutingTable } from '../domain/records/routing.js';
import type { ReportMarker } from '../report/index.js';

export interface WatcherEvents {
  /** A cycle is waiting for a person: the demo answers it. */
  onApprovalPending(cycleId: string, candidateVersion: number | undefined): void;
  onPromotion(version: number, atMs: number): void;
  onCycleFinished(summary: FlywheelStatus['recentCycles'][number]): void;
}

/**
 * Polls what a person would watch — the monitor's findings, the flywheel's status, the
 * cycle's status and the routing table — and turns changes into chart markers and
 * progress lines. Reads only; the decisions are the workflows'.
 */
export class TimelineWatcher {
  readonly markers: ReportMarker[] = [];
  private lastFindingAt = 0;
  private seenCycle = 1;
  private lastStep = '';
  private approvalAsked = new Set<string>();
  private lastRouting: RoutingTable | null = null;
  private finished = new Set<number>();
  private lastDecisionAt = 0;
  private promotedAtMs: number | null = null;
  /** Drift alerts naming f3 the monitor signalled after the promotion (the demo wants none). */
  f3AlertsAfterPromotion = 0;
  /** Drift alerts the flywheel recorded as benign or ignored as stale. */
  benignOrStale = 0;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly deps: {
      flywheels: FlywheelClient;
      servingState: ServingStateForGateway;
      modelId: string;
      startedAtMs: number;
      print: (line: string) => void;
    },
    private readonly events: WatcherEvents,
  ) {}

  start(intervalMs = 400): void {
    this.timer = setInterval(() => void this.poll(), intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private t(atMs: number): number {
    return Math.max(0, atMs - this.deps.startedAtMs);
  }

  mark(kind: ReportMarker['kind'], atMs: number, label: string): void {
    this.markers.push({ kind, tMs: this.t(atMs), label });
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.pollMonitor();
      await this.pollFlywheel();
      await this.pollRouting();
    } catch (error) {
      this.deps.print(`(watcher: ${(error as Error).message})`);
    } finally {
      this.busy = false;
    }
  }

  private async pollMonitor(): Promise<void> {
    const status = await this.deps.flywheels.monitorFindings(this.deps.modelId);
    for (const f of status.recent.filter((x) => x.atMs > this.lastFindingAt)) {
      this.lastFindingAt = f.atMs;
      const acc = f.performance?.accuracy;
      this.deps.print(
        `monitor  v${f.championVersion ?? '-'}: drift ${f.drift?.status ?? '-'} (score ${(f.drift?.score ?? 0).toFixed(2)}, ${f.drift?.rows ?? 0} rows)` +
          `, live accuracy ${acc === null || acc === undefined ? '-' : `${(acc * 100).toFixed(1)}%`} on ${f.performance?.labeledCount ?? 0} labels (${f.performance?.status ?? '-'})`,
      );
      for (const s of f.signals) {
        if (
          this.promotedAtMs !== null &&
          f.atMs > this.promotedAtMs &&
          s.signal === monitorSignals.driftAlert.name &&
          (s.payload.features ?? []).includes('f3')
        )
          this.f3AlertsAfterPromotion++;
        const label = `${s.signal === monitorSignals.driftAlert.name ? `drift ${(s.payload.score ?? 0).toFixed(2)} (${(s.payload.features ?? []).join(', ')})` : `accuracy −${((s.payload.score ?? 0) * 100).toFixed(0)} pts`} v${f.championVersion}`;
        this.mark('driftDetected', f.atMs, label);
        this.deps.print(`monitor  ▲ signalled ${s.signal} to the flywheel: ${s.payload.reason ?? ''}`);
      }
    }
  }

  private async pollFlywheel(): Promise<void> {
    const status = await this.deps.flywheels.status(this.deps.modelId);
    for (const d of status.decisions.filter((x) => x.at > this.lastDecisionAt)) {
      this.lastDecisionAt = d.at;
      if (d.action !== 'benign' && d.cause !== 'stale') continue;
      this.benignOrStale++;
      this.mark('benignDrift', d.at, d.action === 'benign' ? 'benign drift' : 'stale alert');
      this.deps.print(`flywheel ○ ${d.action === 'benign' ? 'benign, no cycle' : 'stale, ignored'}: ${d.reason}`);
    }
    const inFlight = status.inFlight;
    if (inFlight && inFlight.cycle > this.seenCycle) {
      this.seenCycle = inFlight.cycle;
      this.mark('cycleStarted', inFlight.startedAt, `cycle ${inFlight.cycle} (${inFlight.trigger.kinds.join('+')})`);
      this.deps.print(
        `flywheel ▶ cycle ${inFlight.cycle} started by ${inFlight.trigger.kinds.join(' + ')} (${inFlight.workflowId})`,
      );
    }
    if (inFlight && inFlight.cycle > 1) {
      const step = `${inFlight.cycle}:${inFlight.step}`;
      if (step !== this.lastStep) {
        this.lastStep = step;
        this.deps.print(
          `cycle ${inFlight.cycle}  step ${inFlight.step}${inFlight.candidateVersion ? ` (candidate v${inFlight.candidateVersion})` : ''}`,
        );
      }
      if (inFlight.step === 'approval' && !this.approvalAsked.has(inFlight.workflowId)) {
        const cycle = await this.deps.flywheels.cycleStatus(inFlight.workflowId);
        if (cycle.approval.pending) {
          this.approvalAsked.add(inFlight.workflowId);
          this.deps.print(
            `cycle ${inFlight.cycle}  ⏸ waiting for approval by ${cycle.approval.approvers.join(', ')}: ${cycle.approval.reason ?? ''}`,
          );
          this.events.onApprovalPending(inFlight.workflowId, cycle.candidateVersion);
        }
      }
    }
    for (const c of status.recentCycles.filter((x) => x.cycle > 1 && !this.finished.has(x.cycle))) {
      this.finished.add(c.cycle);
      this.deps.print(`flywheel ■ cycle ${c.cycle} ended: ${c.outcome} — ${c.reason}`);
      this.events.onCycleFinished(c);
    }
  }

  private async pollRouting(): Promise<void> {
    const routing = await this.deps.servingState.getRouting(this.deps.modelId);
    const before = this.lastRouting;
    this.lastRouting = routing;
    if (!routing || !before || routing.revision === before.revision) return;
    const at = Date.parse(routing.updatedAt);
    if (routing.canary && routing.canary.weight !== before.canary?.weight) {
      const pct = Math.round(routing.canary.weight * 100);
      this.mark('canaryStep', at, `canary v${routing.canary.version} ${pct}%`);
      this.deps.print(
        `rollout  canary v${routing.canary.version} at ${pct}% of traffic (routing revision ${routing.revision})`,
      );
    }
    if (routing.championVersion !== before.championVersion) {
      this.promotedAtMs = at;
      this.mark('promotion', at, `v${routing.championVersion} promoted`);
      this.deps.print(`rollout  ★ v${routing.championVersion} is the champion: 100% of traffic`);
      this.events.onPromotion(routing.championVersion, at);
    } else if (!routing.canary && before.canary) {
      this.mark('rollback', at, `canary v${before.canary.version} rolled back`);
      this.deps.print(`rollout  ↩ canary v${before.canary.version} rolled back to v${routing.championVersion}`);
    }
  }
}
