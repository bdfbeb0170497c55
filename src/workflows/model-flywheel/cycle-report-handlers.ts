import { log, patched, setHandler } from '@temporalio/workflow';
import { z } from 'zod';
import type { CycleSummary } from '../../domain/flywheel/cycle-report.js';
import type { Flywheel } from '../../domain/flywheel/flywheel-state.js';
import type { CycleFinishedPayload, CycleProgressPayload } from '../../domain/signals.js';
import { parsePayload, parseSignal } from '../shared/parse-payload.js';
import { cycleFinishedSignal, cycleProgressSignal } from '../../contracts/model-flywheel.js';

/**
 * Patch id of checked cycle reports. Histories recorded before it took any report naming
 * the cycle in flight (and a champion from any progress signal); replaying them keeps that.
 */
export const VERIFIED_CYCLE_REPORTS = 'verified-cycle-reports';

/** Reports held while `startChild` has not answered with the run id yet (a cycle sends about ten). */
const MAX_WAITING = 20;

type Report =
  | { signal: typeof cycleProgressSignal.name; payload: CycleProgressPayload }
  | { signal: typeof cycleFinishedSignal.name; payload: CycleFinishedPayload };

export interface CycleReportHandlers {
  /** Call once the child's run id is recorded (or its start failed): reports that waited for it are judged now. */
  runIdKnown(): void;
}

/** Before the patch the handlers read `cycle` (and the rest) of any object; null crashed them. */
const LegacyReportSchema = z.object({ cycle: z.number() }).passthrough();

/**
 * Installs `cycleProgress` and `cycleFinished`. Each payload is parsed with zod, then
 * accepted only from the child this flywheel started ({@link Flywheel.checkCycleReport});
 * anything else is counted in `status` with its reason and changes nothing.
 */
export function installCycleReportHandlers(
  fw: Flywheel,
  reject: (input: string, error: string) => void,
): CycleReportHandlers {
  const waiting: Report[] = [];
  const apply = (r: Report) => {
    if (r.signal === cycleFinishedSignal.name) {
      fw.cycleFinished(toSummary(r.payload), Date.now(), r.payload.championVersion);
      return;
    }
    fw.cycleProgress(r.payload.cycle, r.payload.step, r.payload.candidateVersion);
    if (r.payload.championVersion !== undefined) fw.setChampion(r.payload.championVersion, Date.now());
  };
  const receive = (r: Report) => {
    const check = fw.checkCycleReport(r.payload);
    if (check.verdict === 'accept') apply(r);
    else if (check.verdict === 'wait' && waiting.length < MAX_WAITING) waiting.push(r);
    else if (check.verdict === 'wait')
      reject(r.signal, `more than ${MAX_WAITING} reports arrived before the cycle's run id was known`);
    else if (check.verdict === 'reject') {
      log.warn('rejected a cycle report', { signal: r.signal, reason: check.reason });
      reject(r.signal, check.reason);
    }
  };

  setHandler(cycleProgressSignal.definition, (raw: unknown) => {
    if (!patched(VERIFIED_CYCLE_REPORTS)) {
      const p = parsePayload(LegacyReportSchema, raw, cycleProgressSignal.name, reject) as
        (CycleProgressPayload & { championVersion?: number | null }) | undefined;
      if (!p) return;
      fw.cycleProgress(p.cycle, p.step, p.candidateVersion);
      if (p.championVersion !== undefined) fw.setChampion(p.championVersion, Date.now());
      return;
    }
    const payload = parseSignal(cycleProgressSignal, raw, reject);
    if (payload) receive({ signal: cycleProgressSignal.name, payload });
  });
  setHandler(cycleFinishedSignal.definition, (raw: unknown) => {
    if (!patched(VERIFIED_CYCLE_REPORTS)) {
      const p = parsePayload(LegacyReportSchema, raw, cycleFinishedSignal.name, reject) as CycleSummary | undefined;
      if (p && fw.inFlight?.cycle === p.cycle) fw.cycleFinished(p, Date.now());
      return;
    }
    const payload = parseSignal(cycleFinishedSignal, raw, reject);
    // The awaited child result may come first; then this is a duplicate and changes nothing.
    if (payload) receive({ signal: cycleFinishedSignal.name, payload });
  });

  return {
    runIdKnown: () => {
      for (const r of waiting.splice(0)) receive(r);
    },
  };
}

function toSummary(p: CycleFinishedPayload): CycleSummary {
  return {
    cycle: p.cycle,
    workflowId: p.workflowId,
    runId: p.runId,
    outcome: p.outcome,
    reason: p.reason,
    trigger: p.trigger,
    startedAt: p.startedAt,
    endedAt: p.endedAt,
    ...(p.candidateVersion !== undefined ? { candidateVersion: p.candidateVersion } : {}),
    ...(p.resumedFromCheckpoint !== undefined ? { resumedFromCheckpoint: p.resumedFromCheckpoint } : {}),
  };
}
