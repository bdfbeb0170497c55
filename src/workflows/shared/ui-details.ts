import type { CycleStatus } from '../../contracts/training-cycle.js';
import type { FlywheelStatus } from '../../domain/flywheel/flywheel-state.js';
import type { TriggerBatch } from '../../domain/trigger/trigger.js';

/**
 * What the Temporal UI shows of a workflow beside its history: the "Current Details" text
 * (markdown, read by the UI through the SDK's built-in metadata query; setting it is not a
 * command) and the one-line summaries of timers (user metadata, not compared on replay).
 * Pure functions of workflow state, so a person sees the step and what it waits for —
 * whom, and until when — without reading the history.
 */

/** A trigger batch in a few words: "manual by bob: new quarter", "drift 0.62 (3 alerts)". */
export function describeTrigger(batch: TriggerBatch): string {
  const score =
    batch.primary in batch.maxScore ? batch.maxScore[batch.primary as keyof TriggerBatch['maxScore']] : undefined;
  const first = batch.samples.find((s) => s.kind === batch.primary);
  const by = batch.requestedBy ?? first?.requestedBy;
  return [
    batch.primary,
    score !== undefined ? ` ${score}` : '',
    by ? ` by ${by}` : '',
    first?.detail ? `: ${first.detail}` : '',
    batch.count > 1 ? ` (${batch.count} triggers)` : '',
  ].join('');
}

/** The cycle's memo: who it is for, why it runs, what it compares. Entries are added as they become known. */
export function cycleMemo(entries: {
  model?: string;
  trigger?: TriggerBatch;
  champion?: number | null;
  candidate?: number;
}): Record<string, unknown> {
  return {
    ...(entries.model !== undefined ? { model: entries.model } : {}),
    ...(entries.trigger ? { trigger: describeTrigger(entries.trigger) } : {}),
    ...(entries.champion !== undefined
      ? { champion: entries.champion === null ? 'none yet' : `v${entries.champion}` }
      : {}),
    ...(entries.candidate !== undefined ? { candidate: `v${entries.candidate}` } : {}),
  };
}

/**
 * Current details of a cycle: its step, and for the approval step whom it waits for and
 * until when. At most three short paragraphs: the UI's panel shows about that many.
 */
export function cycleDetails(status: CycleStatus, modelId: string): string {
  const candidate = status.candidateVersion !== undefined ? ` · candidate v${status.candidateVersion}` : '';
  const lines = [`**Step:** ${status.step} · model ${modelId}${candidate}`];
  const a = status.approval;
  if (a.pending) {
    const deadline = a.deadline ? ` · **Deadline:** ${a.deadline}` : '';
    lines.push(`**Waiting for approval** by ${a.approvers.join(', ') || '(no approver listed)'}${deadline}`);
    if (a.reason) lines.push(`**Why:** ${a.reason}`);
  } else if (status.step === 'rollout') {
    // A switch at once (direct, or a first model) is one routing write in the cycle; only a staged rollout has a child.
    lines.push(
      `**Rolling out:** a staged rollout runs as the child \`${status.cycleId}:rollout\` (its details show the bake); a direct switch runs here`,
    );
  }
  return lines.join('\n\n');
}

/** Summary of the approval's durable timeout, as the event history lists it. */
export function approvalTimerSummary(version: number | undefined, deadlineIso: string, onTimeout: string): string {
  return `approval deadline${version !== undefined ? ` of v${version}` : ''} ${deadlineIso} (then ${onTimeout})`;
}

/** Current details of a rollout while it bakes or pauses. */
export function rolloutDetails(r: {
  modelId: string;
  candidate: number;
  champion: number | null;
  phase: string;
  bakeEndsIso?: string;
  paused?: boolean;
  extensions?: number;
}): string {
  const lines = [`**Phase:** ${r.phase} · ${r.modelId} v${r.candidate} against champion v${r.champion ?? '—'}`];
  if (r.paused) lines.push('**Paused:** waiting for `promoteNow` or `abortRollout`');
  else if (r.bakeEndsIso)
    lines.push(`**Baking until** ${r.bakeEndsIso}${r.extensions ? ` (extension ${r.extensions})` : ''}`);
  return lines.join('\n\n');
}

/** Summary of one bake timer. */
export function bakeTimerSummary(phase: string, candidate: number, endsIso: string): string {
  return `bake ${phase} of v${candidate} until ${endsIso}`;
}

/** Current details of a flywheel: idle, waiting on a timer (debounce, cooldown, budget), or running a cycle. */
export function flywheelDetails(status: FlywheelStatus, wakeAtMs: number | null): string {
  const champion = `champion ${status.champion ? `v${status.champion.version}` : 'none yet'}`;
  const lines: string[] = [];
  if (status.misconfigured) lines.push(`**Misconfigured:** ${status.misconfigured.error}`);
  if (status.paused) lines.push('**Paused:** triggers are recorded and acted on at `resume`');
  const f = status.inFlight;
  if (f) {
    const step = f.step === 'starting' ? '' : ` at step ${f.step}`;
    lines.push(`**Running** cycle ${f.cycle}${step} (\`${f.workflowId}\`) · ${champion}`);
    lines.push(`**Trigger:** ${describeTrigger(f.trigger)}`);
  } else if (status.pending) {
    const until =
      wakeAtMs !== null ? `; **waiting until** ${new Date(wakeAtMs).toISOString()}: ${lastReason(status)}` : '';
    lines.push(`**Pending trigger:** ${describeTrigger(status.pending)} · ${champion}${until}`);
  } else lines.push(`**Idle:** waiting for a trigger · ${champion}`);
  return lines.join('\n\n');
}

/** Summary of the flywheel's wake-up timer: why it waits (debounce, cooldown, budget). */
export function flywheelTimerSummary(status: FlywheelStatus, wakeAtMs: number): string {
  return `wake ${new Date(wakeAtMs).toISOString()}: ${lastReason(status)}`.slice(0, 200);
}

function lastReason(status: FlywheelStatus): string {
  return status.decisions[status.decisions.length - 1]?.reason ?? 'a pending trigger';
}
