import { patched, setHandler } from '@temporalio/workflow';
import type { Flywheel } from '../../domain/flywheel/flywheel-state.js';
import { driftTrigger, newDataTrigger, performanceTrigger, retrainTrigger } from '../../domain/trigger/from-signals.js';
import { parseSignal } from '../shared/parse-payload.js';
import {
  alertResolvedSignal,
  driftAlertSignal,
  newDataSignal,
  pauseSignal,
  performanceReportSignal,
  resumeSignal,
  retrainRequestedSignal,
  statusQuery,
} from '../../contracts/model-flywheel.js';
import { installCycleReportHandlers, type CycleReportHandlers } from './cycle-report-handlers.js';
import { installPolicyHandlers } from './policy-handlers.js';

/**
 * Patch id of alert screening: drift and performance alerts about a version that no longer
 * serves, or raised before the champion's promotion, are ignored; drift alerts without
 * evidence of harm are recorded as benign; `alertResolved` retracts pending triggers.
 * Histories recorded before it accepted every alert above its floor; replaying them keeps that.
 */
export const ALERT_SCREENING = 'alert-screening';

const src = (p: { source?: string | undefined }) => (p.source ? { source: p.source } : {});

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
  fw.screenAlertsWhen(() => patched(ALERT_SCREENING));
  setHandler(driftAlertSignal.definition, (raw) => {
    const p = parseSignal(driftAlertSignal, raw, reject);
    if (p) fw.apply({ type: 'trigger', trigger: driftTrigger(p, now()) }, now());
  });
  setHandler(newDataSignal.definition, (raw) => {
    const p = parseSignal(newDataSignal, raw, reject);
    if (p) fw.apply({ type: 'trigger', trigger: newDataTrigger(p, now()) }, now());
  });
  setHandler(performanceReportSignal.definition, (raw) => {
    const p = parseSignal(performanceReportSignal, raw, reject);
    if (p) fw.apply({ type: 'trigger', trigger: performanceTrigger(p, now()) }, now());
  });
  setHandler(retrainRequestedSignal.definition, (raw) => {
    const p = parseSignal(retrainRequestedSignal, raw ?? {}, reject);
    if (p) fw.apply({ type: 'trigger', trigger: retrainTrigger(p, now()) }, now());
  });
  setHandler(alertResolvedSignal.definition, (raw) => {
    const p = parseSignal(alertResolvedSignal, raw, reject);
    // Before the patch this signal had no handler: histories that carry one left it unread.
    if (p && patched(ALERT_SCREENING)) fw.apply({ type: 'retract', fingerprint: p.fingerprint, ...src(p) }, now());
  });
  setHandler(pauseSignal.definition, (raw) => {
    const p = parseSignal(pauseSignal, raw, reject);
    if (p) fw.apply({ type: 'pause', ...(p.by ? { by: p.by } : {}), ...(p.reason ? { reason: p.reason } : {}) }, now());
  });
  setHandler(resumeSignal.definition, (raw) => {
    const p = parseSignal(resumeSignal, raw, reject);
    if (p) fw.apply({ type: 'resume', ...(p.by ? { by: p.by } : {}) }, now());
  });
  installPolicyHandlers(fw);
  const reports = installCycleReportHandlers(fw, reject);
  setHandler(statusQuery.definition, () => fw.status());
  return reports;
}
