import { main as runGateway } from './gateway-main.js';
import { main as runOrchestrationWorker } from './orchestration-worker.js';
import { main as runTrainingWorker } from './training-worker.js';

/** What `flywheel worker <role>` and `flywheel gateway` run (src/main.ts hands these to the CLI). */
export const processEntrypoints = {
  runWorker: (role: 'orchestration' | 'training') =>
    role === 'orchestration' ? runOrchestrationWorker() : runTrainingWorker(),
  runGateway,
};
