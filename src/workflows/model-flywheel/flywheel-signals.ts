import { setHandler } from '@temporalio/workflow';
import type { Flywheel } from '../../domain/flywheel/flywheel-state.js';
import { DriftAlertSchema, NewDataSchema, PauseSchema, PerformanceReportSchema, RetrainRequestSchema } from '../../domain/signals.js';
import { driftTrigger, newDataTrigger, performanceTrigger, retrainTrigger } from '../../domain/trigger/from-signals.js';
import { parsePayload } from '../shared/parse-payload.js';
import {
  driftAlertSignal,
  newDataSignal,
  pauseSignal,
  performanceReportSignal,
  resumeSignal,
  retrainRequestedSignal,
  statusQuery,
} from './contract.js';
import { installCycleReportHandlers, type CycleReportHandlers } from './cycle-report-handlers.js';
import { installPolicyHandlers } from './policy-handlers.js';

/**
 * Installs every signal, the policy update and the query of the flywheel. Handlers are
 * synchronous: each validates its payload (a bad signal is counted and dropped, a bad
 * update refused), then feeds the pure trigger policy; starting a cycle is left to the
 * main loop. Cycle reports are accepted only from the child the flywheel started; the
 * returned handle lets the loop release reports that waited for the child's run id.
 */
export function installFlywheelHandlers(fw: Flywheel): CycleReportHandlers {
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
  installPolicyHandlers(fw);
  const reports = installCycleReportHandlers(fw, reject);
  setHandler(statusQuery, () => fw.status());
  return reports;
}
