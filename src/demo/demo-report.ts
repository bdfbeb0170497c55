import path from 'node:path';
import type { ModelSpec } from '../domain/model-spec/model-spec.js';
import { writeReport, type ReportMarker, type RunReportInput } from '../report/index.js';
import { DEMO } from './demo-config.js';
import { DEMO_MODELS, type DemoModel } from './demo-model.js';
import { demoNumbers, pct } from './demo-numbers.js';
import type { SimulatorResult } from './traffic-simulator.js';

export interface DemoRun {
  spec: ModelSpec;
  /** The model family the demo trained and served (`--model`). */
  model: DemoModel;
  /** One line per version that served traffic: its family and format as the scorer reads it. */
  servedBy: string[];
  server: { address: string; uiUrl: string };
  reportDir: string;
  dataDir: string;
  links: Array<{ label: string; workflowId: string }>;
  traffic: SimulatorResult;
  markers: ReportMarker[];
  /** Traffic time (ms) of the concept change and of the promotion (null when none happened). */
  driftAtMs: number;
  promotedAtMs?: number;
  promotedVersion?: number;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Computes the acceptance numbers, writes report.html/.png/.json and prints the summary. */
export async function writeDemoReport(run: DemoRun, print: (line: string) => void): Promise<{ accepted: boolean }> {
  const { traffic } = run;
  const endMs = traffic.seconds * 1000;
  const promoted = run.promotedAtMs ?? null;
  const numbers = demoNumbers(traffic.ct, traffic.static, {
    preFromMs: DEMO.measure.preDriftFromMs,
    driftMs: run.driftAtMs,
    promotedMs: promoted === null ? null : promoted + DEMO.measure.afterPromotionSettleMs,
    endMs,
  });
  const firstDetection = run.markers
    .filter((m) => m.kind === 'driftDetected' && m.tMs >= run.driftAtMs)
    .sort((a, b) => a.tMs - b.tMs)[0];
  const links = run.links.map((l) => ({
    label: l.label,
    url: `${run.server.uiUrl}/namespaces/default/workflows/${l.workflowId}`,
  }));
  const figures = [
    { label: 'model family served', value: run.servedBy.join('; ') },
    {
      label: 'pre-drift accuracy (CT = static)',
      value: `${pct(numbers.preDrift?.accuracy)} over ${numbers.preDrift?.count ?? 0} requests`,
    },
    {
      label: 'static model after the change',
      value: `${pct(numbers.staticAfterDrift?.accuracy)} over ${numbers.staticAfterDrift?.count ?? 0} requests`,
    },
    {
      label: 'CT after promotion',
      value: numbers.ctAfterPromotion
        ? `${pct(numbers.ctAfterPromotion.accuracy)} over ${numbers.ctAfterPromotion.count} requests`
        : 'no promotion',
    },
    {
      label: 'static model, same window',
      value: numbers.staticAfterPromotion ? `${pct(numbers.staticAfterPromotion.accuracy)}` : '–',
    },
    {
      label: 'drift → first detection',
      value: firstDetection ? seconds(firstDetection.tMs - run.driftAtMs) : 'not detected',
    },
    { label: 'drift → promotion', value: promoted === null ? 'no promotion' : seconds(promoted - run.driftAtMs) },
    {
      label: 'requests',
      value: `${traffic.sent} sent, ${traffic.failed} failed, ${traffic.feedbackFailed} feedback failed`,
    },
  ];
  const report: RunReportInput = {
    title: `ct-flywheel demo: ${run.spec.id} (${DEMO_MODELS[run.model].family})`,
    subtitle: `SEA concept change + covariate shift at ${run.driftAtMs / 1000} s; ${DEMO.ratePerSecond} req/s through the gateway; labels ${DEMO.labelDelayMs / 1000} s late`,
    startedAtMs: traffic.startedAtMs,
    series: [
      { id: 'ct', label: 'with continuous training (served answers)', color: '#2563eb', points: traffic.ct.points() },
      {
        id: 'static',
        label: 'static first champion (no CT)',
        color: '#9ca3af',
        dashed: true,
        points: traffic.static.points(),
      },
    ],
    markers: run.markers,
    figures,
    links,
    verdict: numbers.verdict,
  };
  const written = await writeReport(run.reportDir, report);
  const rel = (p: string) => path.relative(process.cwd(), p);
  print(`report: ${rel(written.htmlPath)} (+ ${path.basename(written.pngPath)}, ${path.basename(written.jsonPath)})`);
  for (const f of figures) print(`  ${f.label.padEnd(34)} ${f.value}`);
  print(`  ${numbers.verdict}`);
  print('Temporal UI:');
  for (const l of links) print(`  ${l.label}: ${l.url}`);
  return { accepted: numbers.accepted };
}
