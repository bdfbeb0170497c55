import { setHandler } from '@temporalio/workflow';
import type { Flywheel } from '../../domain/flywheel/flywheel-state.js';
import { parseModelSpec, type ModelSpec } from '../../domain/model-spec/model-spec.js';
import { DriftAlertSchema, NewDataSchema, PauseSchema, PerformanceReportSchema, RetrainRequestSchema, UpdatePolicySchema, type UpdatePolicy } from '../../domain/signals.js';
import { driftTrigger, newDataTrigger, performanceTrigger, retrainTrigger } from '../../domain/trigger/from-signals.js';
import { parsePayload } from '../shared/parse-payload.js';
import {
  cycleFinishedSignal,
  cycleProgressSignal,
  driftAlertSignal,
  newDataSignal,
  pauseSignal,
  performanceReportSignal,
  resumeSignal,
  retrainRequestedSignal,
  statusQuery,
  updatePolicySignal,
} from './contract.js';

/**
 * Installs every signal and the query of the flywheel. Handlers are synchronous: each
 * validates its payload (a bad one is counted and dropped), then feeds the pure trigger
 * policy; starting a cycle is left to the main loop.
 */
export function installFlywheelHandlers(fw: Flywheel): void {
  const now = () => Date.now();
  const reject = (signal: string, error: string) => fw.rejectInput(signal, error, now());
  setHandler(driftAlertSignal, (raw) => {
    const p = parsePayload(DriftAlertSchema, raw, 'driftAlert', reject);
    if (p) fw.apply({ type: 'trigger', trigger: driftTrigger(p, now()) }, now());
  });
  setHandler(newDataSignal, (raw) => {
    const p = parsePayload(NewDataSchema, raw, 'newData', reject);
    if (p) fw.apply({ type: 'trigger', trigger: newDataTrigger(p, now()) }, now());
  });
  setHandler(performanceReportSignal, (raw) => {
    const p = parsePayload(PerformanceReportSchema, raw, 'performanceReport', reject);
    if (p) fw.apply({ type: 'trigger', trigger: performanceTrigger(p, now()) }, now());
  });
  setHandler(retrainRequestedSignal, (raw) => {
    const p = parsePayload(RetrainRequestSchema, raw ?? {}, 'retrainRequested', reject);
    if (p) fw.apply({ type: 'trigger', trigger: retrainTrigger(p, now()) }, now());
  });
  setHandler(pauseSignal, (raw) => {
    const p = parsePayload(PauseSchema, raw, 'pause', reject);
    if (p) fw.apply({ type: 'pause', ...(p.by ? { by: p.by } : {}), ...(p.reason ? { reason: p.reason } : {}) }, now());
  });
  setHandler(resumeSignal, (raw) => {
    const p = parsePayload(PauseSchema, raw, 'resume', reject);
    if (p) fw.apply({ type: 'resume', ...(p.by ? { by: p.by } : {}) }, now());
  });
  setHandler(updatePolicySignal, (raw) => {
    const p = parsePayload(UpdatePolicySchema, raw, 'updatePolicy', reject);
    if (!p) return;
    const spec = mergeSpec(fw.spec, p, reject);
    // startFlywheel re-sends the same spec on every call: an identical spec is not a new revision.
    if (spec && JSON.stringify(spec) !== JSON.stringify(fw.spec)) fw.setSpec(spec, now());
  });
  setHandler(cycleProgressSignal, (p) => {
    fw.cycleProgress(p.cycle, p.step, p.candidateVersion);
    if (p.championVersion !== undefined) fw.setChampion(p.championVersion, now());
  });
  setHandler(cycleFinishedSignal, (summary) => {
    // The cycle's own notice; the awaited child result may also arrive: the first one counts.
    if (fw.inFlight?.cycle === summary.cycle) fw.cycleFinished(summary, now());
  });
  setHandler(statusQuery, () => fw.status());
}

/** The spec after an update, or undefined (counted as rejected) if it does not parse. */
function mergeSpec(current: ModelSpec | null, p: UpdatePolicy, reject: (s: string, e: string) => void): ModelSpec | undefined {
  const base = p.spec ?? current;
  if (!base) {
    reject('updatePolicy', 'the flywheel has no model spec yet: send the whole spec in `spec`');
    return undefined;
  }
  try {
    const merged = { ...base, ...(p.trigger ? { trigger: p.trigger } : {}), ...(p.approval ? { approval: p.approval } : {}), ...(p.rollout ? { rollout: p.rollout } : {}) };
    return parseModelSpec(merged, 'updatePolicy');
  } catch (err) {
    reject('updatePolicy', (err as Error).message);
    return undefined;
  }
}
