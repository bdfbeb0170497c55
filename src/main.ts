/**
 * Entry point of the `flywheel` command (bin/flywheel.js loads this through tsx). It
 * composes the CLI (src/cli/, a Temporal client only) with the one command that runs
 * workers in this process, `flywheel up` (src/workers/local-stack.ts, loaded only when `up`
 * runs), and the separate worker and gateway processes (`flywheel worker`, `flywheel gateway`). Wiring them here, above both layers, keeps cli/ from importing workers/.
 */
import { ignoreClosedOutput, runCli } from './cli/main.js';

ignoreClosedOutput();
process.exitCode = await runCli(process.argv, {
  loadLocalStack: () => import('./workers/local-stack.js'),
  loadProcesses: async () => (await import('./workers/process-entrypoints.js')).processEntrypoints,
});
