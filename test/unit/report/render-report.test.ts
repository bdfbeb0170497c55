import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderPng, renderReportHtml, writeReport, type RunReportInput } from '../../../src/report/index.js';

/** A run like the demo's: drift at 60 s, the CT model recovers after promotion, the static one does not. */
function demoLikeReport(): RunReportInput {
  const ct = [],
    frozen = [];
  for (let t = 5_000; t <= 200_000; t += 5_000) {
    const drifted = t > 60_000;
    const recovered = t > 150_000;
    const wobble = ((t / 5_000) % 3) * 0.004;
    frozen.push({ tMs: t, accuracy: (drifted ? 0.68 : 0.9) + wobble, count: 200 });
    ct.push({ tMs: t, accuracy: (drifted && !recovered ? 0.7 : 0.9) + wobble, count: 200 });
  }
  return {
    title: 'ct-flywheel demo: sea-demo',
    subtitle: 'SEA concept change + covariate shift at 60 s',
    startedAtMs: Date.parse('2026-11-22T10:00:00Z'),
    series: [
      { id: 'ct', label: 'with continuous training', color: '#2563eb', points: ct },
      { id: 'static', label: 'static champion (no CT)', color: '#9ca3af', dashed: true, points: frozen },
    ],
    markers: [
      { tMs: 60_000, kind: 'conceptChange', label: 'concept change' },
      { tMs: 78_000, kind: 'driftDetected', label: 'drift 0.33' },
      { tMs: 84_000, kind: 'cycleStarted', label: 'cycle 1' },
      { tMs: 101_000, kind: 'approval', label: 'approved by alice' },
      { tMs: 103_000, kind: 'canaryStep', label: 'canary 10%' },
      { tMs: 118_000, kind: 'canaryStep', label: 'canary 50%' },
      { tMs: 133_000, kind: 'promotion', label: 'v2 promoted' },
    ],
    figures: [
      { label: 'pre-drift accuracy', value: '90.4%' },
      { label: 'static model after drift', value: '68.4%' },
    ],
    links: [{ label: 'flywheel', url: 'http://127.0.0.1:8233/namespaces/default/workflows/flywheel%3Asea-demo' }],
    verdict: 'acceptance met: CT within 2 points of pre-drift',
  };
}

const tmpDirs: string[] = [];
afterAll(async () => Promise.all(tmpDirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('run report', () => {
  it('draws both accuracy series and a marker for every flywheel event', () => {
    const { svg, html } = renderReportHtml(demoLikeReport());
    expect(svg).toMatch(/<path data-series="ct" d="M[\d. ]+(L[\d. ]+){39}"/);
    expect(svg).toMatch(/<path data-series="static" d="M[\d. ]+(L[\d. ]+){39}"[^>]*stroke-dasharray/);
    for (const kind of ['conceptChange', 'driftDetected', 'cycleStarted', 'approval', 'canaryStep', 'promotion']) {
      expect(svg).toContain(`data-marker="${kind}"`);
    }
    expect(svg.match(/data-marker="canaryStep"/g)).toHaveLength(2);
    expect(svg).toContain('approved by alice');
    expect(html).toContain(svg);
    expect(html).toContain('flywheel%3Asea-demo');
    expect(html).toContain('90.4%');
  });

  it('escapes text so a label cannot break the markup', () => {
    const report = demoLikeReport();
    report.markers = [{ tMs: 1000, kind: 'approval', label: 'approved by <script>' }];
    const { svg, html } = renderReportHtml(report);
    expect(svg).toContain('approved by &lt;script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('refuses a report without series, naming the field', () => {
    expect(() => renderReportHtml({ ...demoLikeReport(), series: [] })).toThrow(/series/);
  });

  it('renders a PNG of the chart at the requested width', () => {
    const png = renderPng(renderReportHtml(demoLikeReport()).svg, 2000);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(2000); // IHDR width
    expect(png.readUInt32BE(20)).toBe(1200); // IHDR height keeps the 1000×600 aspect
    expect(png.length).toBeGreaterThan(30_000); // lines, text and markers, not a blank page
  });

  it('writes html, png and the json input into the report folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-'));
    tmpDirs.push(dir);
    const written = await writeReport(join(dir, 'demo-1'), demoLikeReport());
    expect((await readFile(written.htmlPath, 'utf8')).startsWith('<!doctype html>')).toBe(true);
    expect((await readFile(written.pngPath)).length).toBeGreaterThan(30_000);
    expect(JSON.parse(await readFile(written.jsonPath, 'utf8')).title).toBe('ct-flywheel demo: sea-demo');
    if (process.env.KEEP_REPORT) await writeReport(process.env.KEEP_REPORT, demoLikeReport());
  });
});
