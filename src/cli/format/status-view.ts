import type { FlywheelStatus } from '../../domain/flywheel/flywheel-state.js';
import type { TriggerBatch } from '../../domain/trigger/trigger.js';
import { formatMs, isoTime, renderFields, renderTable, truncate } from './output.js';

function describeBatch(b: TriggerBatch, now: number): string {
  const scores = Object.entries(b.maxScore).map(([k, v]) => `${k} ${Number(v.toFixed(3))}`);
  const parts = [`${b.count} × ${b.kinds.join('+')}`, `primary ${b.primary}`];
  if (scores.length) parts.push(`max score ${scores.join(', ')}`);
  if (b.force) parts.push('forced');
  if (b.requestedBy) parts.push(`by ${b.requestedBy}`);
  if (b.gatherUntil !== undefined) parts.push(b.gatherUntil > now ? `gathering for ${formatMs(b.gatherUntil - now)} more` : 'gathering ended');
  return parts.join(', ');
}

/** The human view of the `status` query: headline fields, then the latest decisions and cycles. */
export function renderStatus(s: FlywheelStatus, links: { flywheel?: string; cycle?: string }, now = Date.now()): string {
  const fields: Array<readonly [string, string]> = [
    ['model', s.modelId],
    ['state', s.paused ? 'PAUSED (triggers are held until resume)' : s.hasSpec ? 'running' : 'waiting for a spec (flywheel start <spec>)'],
    ['spec revision', String(s.specRevision)],
    ['champion', s.champion ? `v${s.champion.version} since ${isoTime(s.champion.since)}` : 'none yet'],
    [
      'cycle in flight',
      s.inFlight
        ? `#${s.inFlight.cycle} ${s.inFlight.workflowId}, step ${s.inFlight.step}${s.inFlight.candidateVersion !== undefined ? `, candidate v${s.inFlight.candidateVersion}` : ''}, started ${isoTime(s.inFlight.startedAt)}`
        : s.cycleDue !== null
          ? `#${s.cycleDue} due, its workflow starts on the flywheel's next task`
          : 'none',
    ],
    ['pending triggers', s.pending ? describeBatch(s.pending, now) : 'none'],
    ['triggers', `${s.triggerCounts.received} received, ${s.triggerCounts.accepted} accepted, ${s.triggerCounts.ignored} ignored`],
    ['cycles', `${s.totals.cycles} finished (${s.totals.promoted} promoted, ${s.totals.notPromoted} not), ${s.cyclesStarted} started`],
    ['rejected inputs', s.rejectedInputs.count === 0 ? '0' : `${s.rejectedInputs.count} (last: ${truncate(s.rejectedInputs.recent.at(-1)?.error ?? '', 100)})`],
  ];
  if (s.inFlight?.step === 'approval') fields.push(['awaiting approval', `flywheel approve ${s.modelId} --as <approver>  (or reject)`]);
  if (links.flywheel) fields.push(['ui', links.flywheel]);
  if (links.cycle) fields.push(['cycle ui', links.cycle]);
  const sections = [renderFields(fields)];
  const decisions = s.decisions.slice(-5);
  if (decisions.length) {
    sections.push(
      'Recent decisions:\n' +
      renderTable(decisions, [
        { header: 'at', value: (d) => isoTime(d.at) },
        { header: 'action', value: (d) => d.action },
        { header: 'reason', value: (d) => truncate(d.reason, 110) },
      ]),
    );
  }
  const cycles = s.recentCycles.slice(-5);
  if (cycles.length) {
    sections.push(
      `Recent cycles (all: flywheel history ${s.modelId}):\n` +
      renderTable(cycles, [
        { header: 'cycle', value: (c) => String(c.cycle) },
        { header: 'trigger', value: (c) => c.trigger },
        { header: 'outcome', value: (c) => c.outcome },
        { header: 'candidate', value: (c) => (c.candidateVersion !== undefined ? `v${c.candidateVersion}` : '-') },
        { header: 'reason', value: (c) => truncate(c.reason, 90) },
      ]),
    );
  }
  return sections.join('\n\n');
}
