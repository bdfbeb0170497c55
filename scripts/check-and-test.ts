/**
 * `npm test` after provisioning: vitest and the static checks (tsc, eslint, prettier) run at
 * the same time, and the exit code is non-zero if any of them failed.
 *
 * Why at the same time: run one after the other on 2 cores, the checks held vitest back by
 * about a minute and a half of CPU while the cores sit partly idle during vitest's e2e files
 * (real timers, servers starting). Vitest's output streams as it comes; each check's output
 * is held and printed when it ends (at once if it failed), then one line per step with its
 * time. Extra arguments go to vitest (`npm test -- test/unit/stats`).
 *
 * Warm runs skip repeated work through caches outside the repo, one folder per checkout
 * under the provisioning cache (CT_FLYWHEEL_CACHE): tsc's incremental build info (tsc
 * re-checks every changed file and each file that depends on it) and prettier's cache
 * (keyed by file content, prettier's version and options). ESLint runs without its cache:
 * `no-floating-promises` reads the types of other files and `import-x/no-cycle` the import
 * graph, so a file that did not change can still gain an error, which ESLint's per-file
 * cache would not see.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot } from '../src/local-server/cache-dir.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const checkoutCache = join(cacheRoot(), 'checks', createHash('sha256').update(ROOT).digest('hex').slice(0, 12));

interface Step {
  name: string;
  command: string;
  args: string[];
  /** Output held until the step ends (checks), or streamed (vitest). */
  held: boolean;
}

interface Outcome {
  step: Step;
  code: number;
  seconds: number;
}

const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

function steps(vitestArgs: string[]): Step[] {
  return [
    { name: 'vitest run', command: bin('vitest'), args: ['run', ...vitestArgs], held: false },
    {
      name: 'tsc --noEmit',
      command: bin('tsc'),
      args: ['--noEmit', '--incremental', '--tsBuildInfoFile', join(checkoutCache, 'tsc.tsbuildinfo')],
      held: true,
    },
    { name: 'eslint .', command: bin('eslint'), args: ['.'], held: true },
    {
      name: 'prettier --check .',
      command: bin('prettier'),
      args: ['--check', '.', '--log-level', 'warn', '--cache', '--cache-location', join(checkoutCache, 'prettier')],
      held: true,
    },
  ];
}

function run(step: Step): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, {
      cwd: ROOT,
      stdio: step.held ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    const output: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => output.push(d));
    child.stderr?.on('data', (d: Buffer) => output.push(d));
    const finish = (code: number) => {
      const outcome = { step, code, seconds: (Date.now() - started) / 1000 };
      const text = Buffer.concat(output).toString();
      if (step.held && (code !== 0 || text.trim()))
        process.stdout.write(`\n[check] ${step.name} output:\n${text}${text.endsWith('\n') ? '' : '\n'}`);
      if (code !== 0) process.stdout.write(`[check] ${step.name} FAILED (exit ${code})\n`);
      resolve(outcome);
    };
    child.on('error', (err) => {
      output.push(Buffer.from(`${String(err)}\n`));
      finish(127);
    });
    // A step killed by a signal has no exit code: count it as failed.
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

async function main(): Promise<number> {
  mkdirSync(checkoutCache, { recursive: true });
  const outcomes = await Promise.all(steps(process.argv.slice(2)).map(run));
  process.stdout.write('\n');
  for (const o of outcomes)
    process.stdout.write(
      `[check] ${o.step.name}: ${o.code === 0 ? 'ok' : `FAILED (exit ${o.code})`} in ${o.seconds.toFixed(1)} s\n`,
    );
  const failed = outcomes.filter((o) => o.code !== 0);
  return failed.length ? 1 : 0;
}

process.exitCode = await main();
