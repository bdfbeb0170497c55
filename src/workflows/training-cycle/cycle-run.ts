import {
  CancellationScope,
  getExternalWorkflowHandle,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  summarizeCycle,
  type CycleOutcome,
  type CycleReport,
  type CycleStep,
} from '../../domain/flywheel/cycle-report.js';
import type { VersionEvent } from '../../domain/records/version-lifecycle.js';
import { legacySearchAttributesOff } from '../../domain/flywheel/legacy-search-attributes.js';
import { CtCandidateVersion, CtStage } from '../../domain/search-attributes.js';
import type { ChampionRef, GateResult, SnapshotRef, TrainResult } from '../activity-types.js';
import { cycleFinishedSignal, cycleProgressSignal } from '../../contracts/model-flywheel.js';
import { reportBySignalSignal } from '../../contracts/training-cycle.js';
import { parseSignal } from '../shared/parse-payload.js';
import type { RolloutResult } from '../../contracts/rollout.js';
import { ApprovalGate } from './approval-gate.js';
import type { CycleInput, CycleStatus } from '../../contracts/training-cycle.js';
import { ReportBuilder } from './report-builder.js';
import { LIGHT_CYCLE_PATCH } from './cycle-steps.js';
import { writeVersionChanges, writeVersionEvent, type VersionEventNote } from './version-events.js';
import type { VersionChange } from '../../domain/records/version-changes.js';
import { cycleDetails, cycleMemo } from '../shared/ui-details.js';

/**
 * Marks histories whose cycle upserts its memo (model, trigger, champion, then candidate):
 * each upsert is a command, so histories recorded before it replay without them.
 */
export const CYCLE_MEMO_PATCH = 'cycle-ui-memo';

/** Ends the cycle early with an outcome (not a failure: the report says why). */
export class CycleStop extends Error {
  constructor(
    readonly outcome: CycleOutcome,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** What the steps have established so far; each step reads what earlier ones set. */
export interface CycleFacts {
  champion: ChampionRef | null;
  snapshot?: SnapshotRef;
  trained?: TrainResult;
  gate?: GateResult;
  version?: number;
  /** The rollout child's result and when the cycle received it. */
  rollout?: { result: RolloutResult; at: string };
}

/** One step of the cycle: its name (what status, search attribute and report say) and its work. */
export interface CycleStepModule {
  readonly name: CycleStep;
  /**
   * Runs, bookkeeping included, in a non-cancellable scope when this patch is on (histories
   * recorded before it replay the cancellable step); `cancelIgnored` is the finding the
   * report keeps when a cancel arrived meanwhile.
   */
  readonly shielded?: { readonly patch: string; cancelIgnored(run: CycleRun): string };
  run(run: CycleRun): Promise<void>;
}

/**
 * One training cycle in flight and its step bookkeeping: the step the status query and
 * failures name, the CtStage search attribute, the report (the result its flywheel reads as
 * parent), and the `cycleFinished` signal when the flywheel asked for one (older histories:
 * always, and a progress signal per step too).
 */
export class CycleRun {
  step: CycleStatus['step'] = 'starting';
  readonly facts: CycleFacts = { champion: null };
  readonly cycleId: string;
  readonly report: ReportBuilder;
  readonly approval: ApprovalGate;
  private rejectedInputs = 0;
  private readonly parent;
  /** Every report names this cycle's workflow and first run: the flywheel takes reports only from the child it started. */
  private readonly sender: { workflowId: string; runId: string };
  /** False only when replaying a run started with the retired `searchAttributes: false` (the parsed input keeps unknown keys). */
  private readonly searchAttributes: boolean;
  /** Whether this run upserts its memo; decided once, at the first upsert (see CYCLE_MEMO_PATCH). */
  private memo = false;
  /**
   * Whether `finish` signals `cycleFinished` to the flywheel. A cycle started with
   * `reportByResult` leaves it to its parent, which reads the result, unless the flywheel
   * said it continues as new (`reportBySignal`). The server drops a signal whose sender has
   * already closed, so a report costs the cycle a wait for its delivery: about 16 ms, two
   * actions and nine events of the cycle's and the flywheel's histories. No patch: the
   * command sequence changes only for cycles whose input carries the flag, which no
   * history recorded before it has.
   */
  private reportBySignal: boolean;

  constructor(readonly input: CycleInput) {
    this.reportBySignal = input.reportByResult !== true;
    this.searchAttributes = !legacySearchAttributesOff(input);
    const info = workflowInfo();
    this.cycleId = info.workflowId;
    this.report = new ReportBuilder(input.modelId, input.cycle, this.cycleId, input.trigger);
    this.approval = new ApprovalGate(() => void this.rejectedInputs++);
    this.parent = info.parent ? getExternalWorkflowHandle(info.parent.workflowId) : undefined;
    this.sender = { workflowId: this.cycleId, runId: info.firstExecutionRunId };
    setHandler(reportBySignalSignal.definition, (raw: unknown) => {
      const told = parseSignal(reportBySignalSignal, raw, () => void this.rejectedInputs++);
      if (!told) return;
      log.info('the flywheel continues as new: this cycle will report by signal', { ...told });
      this.reportBySignal = true;
    });
  }

  status(): CycleStatus {
    const { approval, report } = this;
    return {
      cycleId: this.cycleId,
      step: this.step,
      ...(report.candidateVersion !== undefined ? { candidateVersion: report.candidateVersion } : {}),
      approval: {
        pending: approval.pending,
        approvers: approval.approvers,
        ...(approval.deadlineIso ? { deadline: approval.deadlineIso } : {}),
        ...(approval.pendingReason ? { reason: approval.pendingReason } : {}),
      },
      rejectedInputs: this.rejectedInputs,
    };
  }

  /** The step a failure is charged to. */
  failedStep(): CycleStep {
    return this.step === 'starting' || this.step === 'done' ? 'snapshot' : this.step;
  }

  /** A fact an earlier step established; its absence is a bug in the step list, not bad input. */
  need<K extends keyof CycleFacts>(key: K): NonNullable<CycleFacts[K]> {
    const value = this.facts[key];
    if (value === undefined || value === null)
      throw new Error(`cycle step ${this.step} needs ${key}, which no earlier step set`);
    return value as NonNullable<CycleFacts[K]>;
  }

  async runSteps(steps: readonly CycleStepModule[]): Promise<void> {
    for (const s of steps) {
      const body = async () => {
        await this.moveTo(s.name);
        await s.run(this);
      };
      if (!s.shielded || !patched(s.shielded.patch)) {
        await body();
        continue;
      }
      await CancellationScope.nonCancellable(body);
      if (CancellationScope.current().consideredCancelled) this.report.finding(s.shielded.cancelIgnored(this));
    }
  }

  /** Shows the step (and what it waits for) as the UI's Current Details; not a command, so no patch. */
  showDetails(): void {
    setCurrentDetails(cycleDetails(this.status(), this.input.modelId));
  }

  /** Remembers the champion the cycle compares with, and opens the memo with model, trigger and champion. */
  championKnown(champion: ChampionRef | null): void {
    this.facts.champion = champion;
    this.report.championVersionBefore = champion?.version ?? null;
    this.memo = patched(CYCLE_MEMO_PATCH);
    if (this.memo)
      upsertMemo(
        cycleMemo({ model: this.input.modelId, trigger: this.input.trigger, champion: champion?.version ?? null }),
      );
  }

  async moveTo(s: CycleStep): Promise<void> {
    this.step = s;
    this.showDetails();
    if (this.searchAttributes) upsertSearchAttributes([{ key: CtStage, value: s }]);
    const { report } = this;
    // Progress is read on demand (the cycle's status query, its CtStage search attribute;
    // FlywheelClient.status adds it): a signal per step cost the flywheel a workflow task and
    // this cycle another for each signal's completion. Older histories replay the signals.
    if (patched(LIGHT_CYCLE_PATCH)) return;
    await this.tellParent(() =>
      this.parent!.signal(cycleProgressSignal.definition, {
        ...this.sender,
        cycle: this.input.cycle,
        step: s,
        championVersion: report.championVersionBefore,
        ...(report.candidateVersion !== undefined ? { candidateVersion: report.candidateVersion } : {}),
      }),
    );
  }

  /** Remembers the registered candidate: report, status and the CtCandidateVersion search attribute. */
  candidateRegistered(version: number): void {
    this.facts.version = version;
    this.report.candidateVersion = version;
    if (this.searchAttributes) upsertSearchAttributes([{ key: CtCandidateVersion, value: version }]);
    if (this.memo) upsertMemo(cycleMemo({ candidate: version }));
  }

  /** Applies a lifecycle event to a version of this cycle's model (see version-events.ts). */
  versionEvent(version: number, event: VersionEvent, note: VersionEventNote): Promise<void> {
    return writeVersionEvent(this.input.modelId, version, event, note);
  }

  /** Writes one step's records of this cycle's model together (see version-events.ts). */
  versionChanges(changes: readonly VersionChange[]): Promise<void> {
    return writeVersionChanges(this.input.modelId, changes);
  }

  async finish(outcome: CycleOutcome, reason: string): Promise<CycleReport> {
    this.step = 'done';
    setCurrentDetails(`**Finished:** ${outcome}: ${reason}`);
    if (this.searchAttributes) upsertSearchAttributes([{ key: CtStage, value: outcome }]);
    const r = this.report.finish(outcome, reason);
    log.info('cycle finished', { cycleId: this.cycleId, outcome, reason });
    if (!this.reportBySignal) return r;
    await this.tellParent(() =>
      this.parent!.signal(cycleFinishedSignal.definition, {
        ...summarizeCycle(r),
        ...this.sender,
        trigger: r.trigger.primary,
        championVersion: r.championVersionBefore,
      }),
    );
    return r;
  }

  private async tellParent(fn: () => Promise<void>): Promise<void> {
    if (!this.parent) return;
    try {
      await CancellationScope.nonCancellable(fn);
    } catch (err) {
      log.warn('could not signal the flywheel', { error: String(err) });
    }
  }
}
