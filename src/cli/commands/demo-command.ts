import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CliError } from '../cli-errors.js';
import { withExamples } from './command-kit.js';

const DEMO_SCRIPT = fileURLToPath(new URL('../../demo/run-demo.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * `flywheel demo`: runs the demo (src/demo/run-demo.ts, the same as `npm run demo`) as
 * a child process with this terminal, and exits with its code. A child rather than an
 * import: the demo installs its own runtime logger and owns its process.
 */
export function registerDemo(program: Command): void {
  const cmd = program
    .command('demo')
    .description(
      'run the whole loop on this machine: local server, workers, gateway, traffic with a concept change, retrain, approval, canary, report (several minutes)',
    )
    .option('--keep-running', 'leave the flywheel and monitor workflows running at the end')
    .option(
      '--model <name>',
      'the model family trained and served: linear (default, built-in trainer) or onnx-gbdt (LightGBM trained in Python, served as ONNX)',
    )
    .option('--print-command', 'print the command that runs the demo and exit')
    .action(async (opts: { keepRunning?: boolean; model?: string; printCommand?: boolean }) => {
      if (!existsSync(DEMO_SCRIPT))
        throw new CliError(`The demo is not part of this installation (${DEMO_SCRIPT} is missing).`);
      const args = [
        '--import',
        import.meta.resolve('tsx'),
        DEMO_SCRIPT,
        ...(opts.keepRunning ? ['--keep-running'] : []),
        ...(opts.model ? ['--model', opts.model] : []),
      ];
      if (opts.printCommand) {
        process.stdout.write(`${[process.execPath, ...args].join(' ')}\n`);
        return;
      }
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit' });
        child.on('error', reject);
        child.on('exit', (c, signal) => resolve(c ?? (signal ? 130 : 1)));
      });
      if (code !== 0)
        throw new CliError(
          `The demo exited with code ${code} (2 = ran, but the report's acceptance numbers were not met).`,
          code,
        );
    });
  withExamples(cmd, ['flywheel demo', 'flywheel demo --model onnx-gbdt', 'flywheel demo --keep-running']);
}
