import { accuracyFloor, formatTime, linearScale, niceStep, ticks, type Scale } from './chart-scale.js';
import { MARKER_STYLE, type AccuracySeries, type ReportMarker, type RunReport } from './report-model.js';
import { escapeXml, px } from './svg-text.js';

const WIDTH = 1000;
const HEIGHT = 600;
const PLOT = { left: 64, right: WIDTH - 36, top: 190, bottom: HEIGHT - 100 };
const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';
const LABEL_ROWS = 7;
const CHAR_PX = 6.6; // rough width of one 11 px glyph, enough to keep marker labels apart

interface Axes {
  x: Scale;
  y: Scale;
}

function axesFor(report: RunReport): Axes {
  const times = [...report.series.flatMap((s) => s.points.map((p) => p.tMs)), ...report.markers.map((m) => m.tMs)];
  const maxT = Math.max(1000, ...times);
  const floor = accuracyFloor(report.series.flatMap((s) => s.points.map((p) => p.accuracy)));
  return { x: linearScale([0, maxT], [PLOT.left, PLOT.right]), y: linearScale([floor, 1], [PLOT.bottom, PLOT.top]) };
}

function grid({ x, y }: Axes, timeAxis: RunReport['timeAxis']): string {
  const [y0, y1] = y.domain;
  const yLines = ticks(y0, y1, niceStep(y1 - y0, 6)).map(
    (v) =>
      `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${px(y(v))}" y2="${px(y(v))}" stroke="#e5e7eb"/>` +
      `<text x="${PLOT.left - 8}" y="${px(y(v) + 4)}" text-anchor="end" font-size="12" fill="#374151">${Math.round(v * 100)}%</text>`,
  );
  const [, t1] = x.domain;
  const xLines = ticks(0, t1 / 1000, niceStep(t1 / 1000, 10)).map(
    (s) =>
      `<line x1="${px(x(s * 1000))}" x2="${px(x(s * 1000))}" y1="${PLOT.bottom}" y2="${PLOT.bottom + 5}" stroke="#6b7280"/>` +
      `<text x="${px(x(s * 1000))}" y="${PLOT.bottom + 20}" text-anchor="middle" font-size="12" fill="#374151">${formatTime(s * 1000, timeAxis.unit)}</text>`,
  );
  const frame = `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#9ca3af"/>`;
  const titles =
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 40}" text-anchor="middle" font-size="12" fill="#374151">${escapeXml(timeAxis.title)}</text>` +
    `<text transform="translate(16 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="12" fill="#374151">online accuracy (labelled window)</text>`;
  return [...yLines, ...xLines, frame, titles].join('\n');
}

function seriesPath(series: AccuracySeries, { x, y }: Axes): string {
  if (series.points.length === 0) return '';
  const d = series.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(x(p.tMs))} ${px(y(p.accuracy))}`).join(' ');
  const dash = series.dashed ? ' stroke-dasharray="7 4"' : '';
  return `<path data-series="${escapeXml(series.id)}" d="${d}" fill="none" stroke="${series.color}" stroke-width="2.4" stroke-linejoin="round"${dash}/>`;
}

interface LabelSlot {
  row: number;
  /** Left edge of the label text; right of the marker line when its row is crowded. */
  x: number;
}

/**
 * Lays out marker labels as a descending staircase: a marker far from every label starts
 * at the top row, and each following close marker takes the row below. Every marker line
 * then drops past labels that start to its right, so lines never cross text. A cluster
 * deeper than the rows wraps to the top, shifted right of what is there.
 */
function labelSlots(markers: readonly ReportMarker[], x: Scale): LabelSlot[] {
  const top = LABEL_ROWS - 1;
  const rowEnd = new Array<number>(LABEL_ROWS).fill(-Infinity);
  let row = top + 1;
  return markers.map((m) => {
    const natural = x(m.tMs) + 5;
    const width = m.label.length * CHAR_PX;
    const clear = natural > Math.max(...rowEnd) + 10;
    row = clear || row === 0 ? top : row - 1;
    const left = Math.min(Math.max(natural, (rowEnd[row] ?? -Infinity) + 10), WIDTH - width - 4);
    rowEnd[row] = left + width;
    return { row, x: left };
  });
}

function markerLayer(markers: readonly ReportMarker[], { x }: Axes): string {
  const sorted = [...markers].sort((a, b) => a.tMs - b.tMs);
  const slots = labelSlots(sorted, x);
  return sorted
    .map((m, i) => {
      const { color } = MARKER_STYLE[m.kind];
      const slot = slots[i] ?? { row: 0, x: x(m.tMs) + 5 };
      const mx = px(x(m.tMs));
      const labelY = PLOT.top - 10 - slot.row * 17;
      const shifted = Math.abs(slot.x - (x(m.tMs) + 5)) > 1;
      const connector = shifted
        ? `<line x1="${mx}" x2="${px(slot.x - 2)}" y1="${labelY - 4}" y2="${labelY - 4}" stroke="${color}" stroke-width="0.8"/>`
        : '';
      return (
        `<g data-marker="${m.kind}">` +
        `<line x1="${mx}" x2="${mx}" y1="${labelY - 4}" y2="${PLOT.bottom}" stroke="${color}" stroke-width="1.4" stroke-dasharray="4 3"/>` +
        `<circle cx="${mx}" cy="${labelY - 4}" r="2.6" fill="${color}"/>${connector}` +
        `<text x="${px(slot.x)}" y="${labelY}" font-size="11" fill="${color}">${escapeXml(m.label)}</text></g>`
      );
    })
    .join('\n');
}

function legend(report: RunReport): string {
  const items: string[] = [];
  let cursor = PLOT.left;
  const y = HEIGHT - 36;
  for (const s of report.series) {
    const dash = s.dashed ? ' stroke-dasharray="7 4"' : '';
    items.push(
      `<line x1="${cursor}" x2="${cursor + 26}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2.4"${dash}/>`,
    );
    items.push(`<text x="${cursor + 32}" y="${y + 4}" font-size="12" fill="#111827">${escapeXml(s.label)}</text>`);
    cursor += 48 + s.label.length * 7;
  }
  const kinds = [...new Set(report.markers.map((m) => m.kind))];
  let mx = PLOT.left;
  for (const kind of kinds) {
    const { color, legend: text } = MARKER_STYLE[kind];
    items.push(
      `<line x1="${mx}" x2="${mx}" y1="${y + 12}" y2="${y + 24}" stroke="${color}" stroke-width="1.6" stroke-dasharray="4 3"/>`,
    );
    items.push(`<text x="${mx + 6}" y="${y + 22}" font-size="11" fill="${color}">${escapeXml(text)}</text>`);
    mx += 24 + text.length * CHAR_PX;
  }
  return items.join('\n');
}

/**
 * Renders the report's accuracy-over-time chart as a standalone SVG document (fonts and
 * colours inline, no CSS), so the same text embeds in HTML and renders to PNG.
 */
export function renderAccuracyChart(report: RunReport): string {
  const axes = axesFor(report);
  const title = `<text x="${PLOT.left}" y="26" font-size="17" font-weight="bold" fill="#111827">${escapeXml(report.title)}</text>`;
  const subtitle = report.subtitle
    ? `<text x="${PLOT.left}" y="46" font-size="12" fill="#4b5563">${escapeXml(report.subtitle)}</text>`
    : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="${FONT}">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    title,
    subtitle,
    grid(axes, report.timeAxis),
    markerLayer(report.markers, axes),
    ...report.series.map((s) => seriesPath(s, axes)),
    legend(report),
    '</svg>',
  ].join('\n');
}
