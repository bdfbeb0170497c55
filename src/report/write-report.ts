import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunReportInput } from './report-model.js';
import { renderReportHtml } from './render-html.js';
import { renderPng } from './render-png.js';

export interface WrittenReport {
  dir: string;
  htmlPath: string;
  pngPath: string;
  jsonPath: string;
}

/**
 * Writes `report.html`, `report.png` and `report.json` (the input, to re-render later)
 * into `dir`, creating it.
 */
export async function writeReport(dir: string, report: RunReportInput): Promise<WrittenReport> {
  await mkdir(dir, { recursive: true });
  const { html, svg } = renderReportHtml(report);
  const out = {
    dir,
    htmlPath: join(dir, 'report.html'),
    pngPath: join(dir, 'report.png'),
    jsonPath: join(dir, 'report.json'),
  };
  await writeFile(out.htmlPath, html);
  await writeFile(out.pngPath, renderPng(svg));
  await writeFile(out.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  return out;
}
