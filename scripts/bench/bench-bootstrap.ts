/**
 * `npx tsx scripts/bench/bench-bootstrap.ts` — wall time of the paired bootstrap
 * (src/stats/significance/bootstrap.ts) on seeded synthetic held-out sets: each built-in
 * metric plus a plain function metric (the path the evaluation gate takes for metrics
 * other than ROC AUC). Prints the interval and p-value too, so two runs can be compared
 * for identical statistics as well as for speed.
 *
 * Flags: --rows 10000,100000 (default), --iterations N (default 2000), --repeat N
 * (timed runs per case, the best and median are printed; default 1), --metrics a,b
 * (default accuracy,rocAuc,brier,logLoss,function).
 */
import { loadavg } from 'node:os';
import { createRng } from '../../src/stats/random.js';
import { pairedBootstrap, type PairedMetric } from '../../src/stats/significance/index.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const rowsList = arg('rows', '10000,100000').split(',').map(Number);
const iterations = Number(arg('iterations', '2000'));
const repeat = Number(arg('repeat', '1'));
const metrics = arg('metrics', 'accuracy,rocAuc,brier,logLoss,function').split(',');

/** Accuracy of probabilities thresholded at 0.5, as a caller-supplied function. */
const accuracyFunction: PairedMetric = (y, p) => {
  let right = 0;
  for (let i = 0; i < y.length; i++) if ((p[i]! >= 0.5 ? 1 : 0) === y[i]) right++;
  return right / y.length;
};

/** Labels with 30 % positives and two correlated scorers, the challenger slightly better. */
function heldOut(n: number) {
  const r = createRng(20261122);
  const yTrue = new Float64Array(n),
    champion = new Float64Array(n),
    challenger = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = r.nextFloat() < 0.3 ? 1 : 0;
    const shared = r.nextNormal();
    yTrue[i] = y;
    champion[i] = 1 / (1 + Math.exp(-(shared + 1.0 * (2 * y - 1) + 0.5 * r.nextNormal())));
    challenger[i] = 1 / (1 + Math.exp(-(shared + 1.1 * (2 * y - 1) + 0.5 * r.nextNormal())));
  }
  return { yTrue, champion, challenger };
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(
  `bench:bootstrap — ${iterations} resamples, repeat ${repeat}, node ${process.version}, load average ${load()}`,
);
console.log('rows      metric    best s   median s  ci                      p(one-sided)  se');
for (const rows of rowsList) {
  const data = heldOut(rows);
  for (const name of metrics) {
    const metric = name === 'function' ? accuracyFunction : (name as 'accuracy' | 'rocAuc' | 'brier' | 'logLoss');
    const times: number[] = [];
    let result = pairedBootstrap({ ...data, metric, iterations: 1, seed: 1 }); // warm-up
    for (let k = 0; k < repeat; k++) {
      const t0 = process.hrtime.bigint();
      result = pairedBootstrap({ ...data, metric, iterations, seed: 7 });
      times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    times.sort((a, b) => a - b);
    const ci = `[${result.ci[0].toFixed(6)}, ${result.ci[1].toFixed(6)}]`;
    console.log(
      `${String(rows).padEnd(9)} ${name.padEnd(9)} ${times[0]!.toFixed(3).padStart(7)} ${times[Math.floor(times.length / 2)]!.toFixed(3).padStart(9)}  ` +
        `${ci.padEnd(23)} ${result.pValueOneSided.toFixed(4).padStart(12)}  ${result.standardError.toExponential(4)}`,
    );
  }
}
console.log(`load average at the end ${load()}`);
