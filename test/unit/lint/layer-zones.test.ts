import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The layer table of DESIGN.md is enforced by eslint.config.js. These cases lint a probe
// file placed (virtually) in a layer with the project's own config: an upward import must
// fail `npm run lint`, an allowed one must pass. Type-aware parsing is switched off for the
// probe (it is not on disk); the import resolver still follows real files.
const repo = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: repo,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
    ruleFilter: ({ ruleId }) =>
      ruleId === 'import-x/no-restricted-paths' || ruleId === '@typescript-eslint/no-restricted-imports',
  });
});

async function layerErrors(layer: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(repo, 'src', layer, 'layer-probe.ts') });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer zones (DESIGN.md as lint)', () => {
  it.each([
    ['domain', "import { startWorkers } from '../workers/start-workers.js';"],
    ['domain', "import { FlywheelClient } from '../clients/flywheel-client.js';"],
    ['contracts', "import { FlywheelClient } from '../clients/flywheel-client.js';"],
    ['workflows', "import { loadModelSpec } from '../adapters/spec-loader.js';"],
    ['workflows', "import { createActivities } from '../activities/create-activities.js';"],
    ['adapters', "import { FlywheelClient } from '../clients/flywheel-client.js';"],
    ['clients', "import { startWorkers } from '../workers/start-workers.js';"],
    ['alerts', "import { startWorkers } from '../workers/start-workers.js';"],
    ['cli', "import { startWorkers } from '../workers/start-workers.js';"],
    ['stats', "import { FlywheelClient } from '../clients/flywheel-client.js';"],
  ])('src/%s refuses: %s', async (layer, source) => {
    const errors = await layerErrors(layer, source);
    expect(errors.length, `expected an upward import in src/${layer} to fail lint`).toBe(1);
    expect(errors[0]).toMatch(/no-restricted-(paths|imports)/);
  });

  it.each([
    ['contracts', "import { TaskQueue } from '../domain/task-queues.js';"],
    ['workflows', "import type { Activities } from '../activities/create-activities.js';"],
    ['cli', "import { FlywheelClient } from '../clients/flywheel-client.js';"],
    ['alerts', "import { FlywheelClient } from '../clients/flywheel-client.js';"],
    ['workers', "import { loadModelSpec } from '../adapters/spec-loader.js';"],
  ])('src/%s allows: %s', async (layer, source) => {
    expect(await layerErrors(layer, source)).toEqual([]);
  });
});
