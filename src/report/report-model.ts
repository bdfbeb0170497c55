import { z } from 'zod';

/**
 * What a demo/run report shows: online accuracy over time for each series (the model
 * under continuous training and a static copy of the first champion), the events of the
 * flywheel as markers, headline numbers and links. Plain JSON, so a run can be saved and
 * re-rendered later.
 */
export const ReportMarkerKind = {
  conceptChange: 'conceptChange',
  driftDetected: 'driftDetected',
  /** A drift alert the flywheel recorded as benign (no evidence of harm) or ignored as stale: no cycle. */
  benignDrift: 'benignDrift',
  cycleStarted: 'cycleStarted',
  approval: 'approval',
  canaryStep: 'canaryStep',
  promotion: 'promotion',
  rollback: 'rollback',
} as const;
export type ReportMarkerKind = (typeof ReportMarkerKind)[keyof typeof ReportMarkerKind];

const pointSchema = z.object({
  /** Milliseconds since the report's `startedAtMs`. */
  tMs: z.number().min(0),
  accuracy: z.number().min(0).max(1),
  /** Labelled predictions behind the point. */
  count: z.number().int().min(0),
});

export const accuracySeriesSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  /** `#rrggbb`. */
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a #rrggbb colour'),
  dashed: z.boolean().default(false),
  points: z.array(pointSchema),
});

export const reportMarkerSchema = z.object({
  tMs: z.number().min(0),
  kind: z.nativeEnum(ReportMarkerKind),
  label: z.string().min(1).max(80),
});

export const reportLinkSchema = z.object({ label: z.string().min(1), url: z.string().url() });

export const reportFigureSchema = z.object({ label: z.string().min(1), value: z.string() });

/** A table of text cells (e.g. a backtest's policies side by side). */
export const reportTableSchema = z.object({
  title: z.string().min(1),
  columns: z.array(z.string()).min(1),
  rows: z.array(z.array(z.string())),
});

/** What the time axis counts: wall-clock seconds of a live run, or windows of a replayed stream (tMs = window × 1000). */
export const TimeUnit = { seconds: 'seconds', windows: 'windows' } as const;
export type TimeUnit = (typeof TimeUnit)[keyof typeof TimeUnit];

export const runReportSchema = z.object({
  title: z.string().min(1),
  subtitle: z.string().default(''),
  /** Wall-clock start of the run (epoch ms); every `tMs` counts from here. */
  startedAtMs: z.number().int().min(0),
  series: z.array(accuracySeriesSchema).min(1, 'a report needs at least one accuracy series'),
  markers: z.array(reportMarkerSchema).default([]),
  /** Headline numbers in display order (already formatted). */
  figures: z.array(reportFigureSchema).default([]),
  links: z.array(reportLinkSchema).default([]),
  tables: z.array(reportTableSchema).default([]),
  timeAxis: z
    .object({ title: z.string().min(1), unit: z.nativeEnum(TimeUnit) })
    .default({ title: 'time since start of traffic', unit: TimeUnit.seconds }),
  /** Free-form verdict line, e.g. the acceptance check. */
  verdict: z.string().optional(),
});

export type AccuracySeries = z.output<typeof accuracySeriesSchema>;
export type ReportMarker = z.output<typeof reportMarkerSchema>;
export type RunReport = z.output<typeof runReportSchema>;
export type RunReportInput = z.input<typeof runReportSchema>;

/** Colour and legend text of each marker kind: one place, shared by SVG and HTML. */
export const MARKER_STYLE: Record<ReportMarkerKind, { color: string; legend: string }> = {
  conceptChange: { color: '#6b7280', legend: 'concept change (ground truth)' },
  driftDetected: { color: '#dc2626', legend: 'drift detected' },
  benignDrift: { color: '#9ca3af', legend: 'drift judged benign or stale (no cycle)' },
  cycleStarted: { color: '#d97706', legend: 'training cycle started' },
  approval: { color: '#7c3aed', legend: 'human approval' },
  canaryStep: { color: '#0891b2', legend: 'canary step' },
  promotion: { color: '#16a34a', legend: 'promotion' },
  rollback: { color: '#111827', legend: 'rollback' },
};
