import type { FlywheelStatus } from '../../domain/flywheel/flywheel-state.js';
import { describeMonitor, type MonitorView } from './monitor-view.js';
import type { TriggerBatch } from '../../domain/trigger/trigger.js';
import type { InFlightDetail } from '../in-flight-detail.js';
import { inFlightFields } from './in-flight-view.js';
import { formatMs, isoTime, renderFields, renderTable, truncate } from './output.js';
import { MISSING, finite, safely, shown } from './safe-text.js';

function describeBatch(b: TriggerBatch, now: number): string {
  const scores = Object.entries(b.maxScore).map(([k, v]) => `${k} ${Number(v.toFixed(3))}`);
  const parts = [`${shown(b.count)} × ${b.kinds.join('+')}`, `primary ${shown(b.primary)}`];
  if (scores.length) parts.push(`max score ${scores.join(', ')}`);
  if (b.force) parts.push('forced');
  if (b.requestedBy) parts.push(`by ${shown(b.requestedBy)}`);
  if (b.gatherUntil !== undefined)
    parts.push(b.gatherUntil > now ? `gathering for ${formatMs(b.gatherUntil - now)} more` : 'gathering ended');
  return parts.join(', ');
}

function state(s: FlywheelStatus): string {
  if (s.misconfigured)
    return `MISCONFIGURED: ${shown(s.misconfigured.error)} (it holds triggers; repair: flywheel policy ${shown(s.modelId)} --spec <file>)`;
  if (s.paused) return 'PAUSED (triggers are held until resume)';
  return s.hasSpec ? 'running' : 'waiting for a spec (flywheel start <spec>)';
}

function inFlight(s: FlywheelStatus): string {
  const f = s.inFlight;
  if (f) {
    const candidate = f.candidateVersion !== undefined ? `, candidate v${shown(f.candidateVersion)}` : '';
    return `#${shown(f.cycle)} ${shown(f.workflowId)}, step ${shown(f.step)}${candidate}, started ${isoTime(f.startedAt)}`;
  }
  return s.cycleDue !== null && s.cycleDue !== undefined
    ? `#${shown(s.cycleDue)} due, its workflow starts on the flywheel's next task`
    : 'none';
}

function rejected(s: FlywheelStatus): string {
  const r = s.rejectedInputs;
  if (r.count === 0) return '0';
  const last = r.recent.at(-1);
  return `${shown(r.count)} (last: ${last ? `${shown(last.input)}: ` : ''}${truncate(last?.error ?? '', 100)})`;
}

/**
 * The human view of the `status` query: headline fields, then the latest decisions and
 * cycles. Every field is rendered on its own: one that cannot be shown says so and the
 * rest still prints (the answer may come from an older version or from odd state).
 */
export function renderStatus(
  s: FlywheelStatus,
  links: { flywheel?: string; cycle?: string },
  now = Date.now(),
  detail?: InFlightDetail,
  monitor?: MonitorView,
): string {
  const field = (label: string, render: () => string) => [label, safely(render)] as const;
  const fields: Array<readonly [string, string]> = [
    field('model', () => shown(s.modelId)),
    field('state', () => state(s)),
    field('spec revision', () => shown(s.specRevision)),
    field('champion', () =>
      s.champion ? `v${shown(s.champion.version)} since ${isoTime(s.champion.since)}` : 'none yet',
    ),
    field('cycle in flight', () => inFlight(s)),
    ...(detail ? safelyAll(() => inFlightFields(detail, now)) : []),
    field('pending triggers', () => (s.pending ? describeBatch(s.pending, now) : 'none')),
    field(
      'triggers',
      () =>
        `${shown(s.triggerCounts.received)} received, ${shown(s.triggerCounts.accepted)} accepted, ${shown(s.triggerCounts.ignored)} ignored`,
    ),
    field(
      'cycles',
      () =>
        `${shown(s.totals.cycles)} finished (${shown(s.totals.promoted)} promoted, ${shown(s.totals.notPromoted)} not), ${shown(s.cyclesStarted)} started`,
    ),
    field('rejected inputs', () => rejected(s)),
  ];
  if (s?.inFlight?.step === 'approval')
    fields.push(field('awaiting approval', () => `flywheel approve ${shown(s.modelId)} --as <approver>  (or reject)`));
  if (monitor !== undefined) fields.push(field('monitor', () => describeMonitor(monitor)));
  if (links.flywheel) fields.push(['ui', links.flywheel]);
  if (links.cycle) fields.push(['cycle ui', links.cycle]);
  const sections = [renderFields(fields)];
  sections.push(
    safely(() => {
      const decisions = list(s?.decisions).slice(-5);
      if (!decisions.length) return '';
      return (
        'Recent decisions:\n' +
        renderTable(decisions, [
          { header: 'at', value: (d) => isoTime(d.at) },
          { header: 'action', value: (d) => shown(d.action) },
          { header: 'reason', value: (d) => truncate(d.reason, 110) },
        ])
      );
    }),
  );
  sections.push(
    safely(() => {
      const cycles = list(s?.recentCycles).slice(-5);
      if (!cycles.length) return '';
      return (
        `Recent cycles (all: flywheel history ${shown(s.modelId)}):\n` +
        renderTable(cycles, [
          { header: 'cycle', value: (c) => shown(c.cycle) },
          { header: 'trigger', value: (c) => shown(c.trigger) },
          { header: 'outcome', value: (c) => shown(c.outcome) },
          {
            header: 'candidate',
            value: (c) => (finite(c.candidateVersion) !== undefined ? `v${c.candidateVersion}` : '-'),
          },
          { header: 'reason', value: (c) => truncate(c.reason ?? MISSING, 90) },
        ])
      );
    }),
  );
  return sections.filter((x) => x !== '').join('\n\n');
}

/** Fields that cannot be rendered become one line saying why, and the rest of the view still prints. */
function safelyAll(render: () => Array<readonly [string, string]>): Array<readonly [string, string]> {
  try {
    return render();
  } catch (err) {
    return [['in flight', `(cannot show: ${err instanceof Error ? err.message : String(err)})`]];
  }
}

/** The items of a list field, dropping entries that are not objects; a missing list is empty. */
function list<T>(value: readonly T[] | undefined): T[] {
  return Array.isArray(value) ? value.filter((x): x is T => typeof x === 'object' && x !== null) : [];
}
