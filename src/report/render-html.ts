import { accuracyFloor, formatTime } from './chart-scale.js';
import { renderAccuracyChart } from './accuracy-chart.js';
import { MARKER_STYLE, runReportSchema, type RunReport, type RunReportInput } from './report-model.js';
import { escapeXml } from './svg-text.js';

const STYLE = `body{font-family:system-ui,-apple-system,"DejaVu Sans",sans-serif;margin:2rem auto;max-width:1040px;color:#111827}
h1{font-size:1.4rem;margin-bottom:.2rem}.sub{color:#4b5563;margin-top:0}
table{border-collapse:collapse;margin:1rem 0}td,th{padding:.3rem .8rem;border-bottom:1px solid #e5e7eb;text-align:left}
th{background:#f9fafb}.verdict{padding:.6rem 1rem;border-radius:6px;background:#ecfdf5;border:1px solid #a7f3d0}
.verdict.fail{background:#fef2f2;border-color:#fecaca}.dot{display:inline-block;width:.7rem;height:.7rem;border-radius:50%;margin-right:.4rem}
svg{max-width:100%;height:auto}`;

function figuresTable(report: RunReport): string {
  if (report.figures.length === 0) return '';
  const rows = report.figures
    .map((f) => `<tr><th>${escapeXml(f.label)}</th><td>${escapeXml(f.value)}</td></tr>`)
    .join('');
  return `<table class="figures">${rows}</table>`;
}

function timelineTable(report: RunReport): string {
  const markers = [...report.markers].sort((a, b) => a.tMs - b.tMs);
  if (markers.length === 0) return '';
  const rows = markers
    .map((m) => {
      const style = MARKER_STYLE[m.kind];
      const at = new Date(report.startedAtMs + m.tMs).toISOString();
      return `<tr><td>${formatTime(m.tMs, report.timeAxis.unit)}</td><td><span class="dot" style="background:${style.color}"></span>${escapeXml(style.legend)}</td><td>${escapeXml(m.label)}</td><td>${at}</td></tr>`;
    })
    .join('');
  return `<h2>Timeline</h2><table><tr><th>t</th><th>event</th><th>detail</th><th>wall clock (UTC)</th></tr>${rows}</table>`;
}

function textTables(report: RunReport): string {
  return report.tables
    .map((t) => {
      const head = t.columns.map((c) => `<th>${escapeXml(c)}</th>`).join('');
      const rows = t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`).join('');
      return `<h2>${escapeXml(t.title)}</h2><table><tr>${head}</tr>${rows}</table>`;
    })
    .join('');
}

function linksList(report: RunReport): string {
  if (report.links.length === 0) return '';
  const items = report.links.map(
    (l) => `<li><a href="${escapeXml(l.url)}">${escapeXml(l.label)}</a> <code>${escapeXml(l.url)}</code></li>`,
  );
  return `<h2>Temporal UI</h2><ul>${items.join('')}</ul>`;
}

function seriesSummary(report: RunReport): string {
  const rows = report.series.map((s) => {
    const labelled = s.points.reduce((n, p) => n + p.count, 0);
    const lowest = s.points.length ? Math.min(...s.points.map((p) => p.accuracy)) : NaN;
    return `<tr><td><span class="dot" style="background:${s.color}"></span>${escapeXml(s.label)}</td><td>${s.points.length}</td><td>${labelled}</td><td>${Number.isNaN(lowest) ? '–' : `${(lowest * 100).toFixed(1)}%`}</td></tr>`;
  });
  return `<h2>Series</h2><table><tr><th>series</th><th>windows</th><th>labelled predictions</th><th>lowest window accuracy</th></tr>${rows.join('')}</table>`;
}

/**
 * Renders a run report as one self-contained HTML page: headline figures, the accuracy
 * chart as inline SVG, the timeline of flywheel events and the Temporal UI links.
 * Validates the report first (throws a ZodError naming the bad field).
 */
export function renderReportHtml(input: RunReportInput): { html: string; svg: string } {
  const report = runReportSchema.parse(input);
  const svg = renderAccuracyChart(report);
  const verdict = report.verdict
    ? `<p class="verdict${/fail|not met/i.test(report.verdict) ? ' fail' : ''}">${escapeXml(report.verdict)}</p>`
    : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(report.title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeXml(report.title)}</h1><p class="sub">${escapeXml(report.subtitle)} · started ${new Date(report.startedAtMs).toISOString()}</p>
${verdict}${figuresTable(report)}${textTables(report)}
${svg}
${seriesSummary(report)}${timelineTable(report)}${linksList(report)}
<p class="sub">Accuracy axis starts at ${Math.round(accuracyFloor(report.series.flatMap((s) => s.points.map((p) => p.accuracy))) * 100)}%.</p>
</body></html>
`;
  return { html, svg };
}
