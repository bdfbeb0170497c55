// @ts-check
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * The layer table of DESIGN.md (and the README's layout section) as lint: each folder of
 * src/ may import only itself and the folders listed here. Anything not listed is an
 * upward or sideways import and fails `npm run lint`. `workers/`, `demo/` and the
 * entrypoint `src/main.ts` compose the layers (see compositionRoots).
 */
export const layerImports = {
  domain: [],
  stats: [],
  logging: [],
  // Prometheus registries and exporters (prom-client): the gateway's process metrics, the monitor's findings.
  metrics: ['domain', 'contracts'],
  contracts: ['domain'],
  // Workflows may also import activities' types (proxyActivities<typeof …>): checked below.
  workflows: ['contracts', 'domain'],
  adapters: ['domain', 'stats'],
  activities: ['domain', 'stats', 'adapters', 'monitor'],
  serving: ['domain', 'stats', 'adapters', 'metrics'],
  report: ['domain', 'stats'],
  // Policy backtests: replays a stream through the flywheel's own decisions, trainer and gate, never Temporal.
  // Of activities/ only evaluation/ and held-out-evidence.ts (what the gate and registration measure, no
  // Temporal): the zone after layerZones bars the rest.
  backtest: ['domain', 'stats', 'adapters', 'report', 'activities'],
  config: ['domain'],
  // Starts and provisions the local Temporal dev server (`npm run server`, `flywheel up`).
  'local-server': ['domain', 'config'],
  clients: ['contracts', 'domain'],
  monitor: ['domain', 'stats', 'contracts', 'clients'],
  alerts: ['domain', 'contracts', 'clients'],
  schedules: ['domain', 'contracts', 'clients'],
  cli: [
    'domain',
    'contracts',
    'clients',
    'config',
    'logging',
    'local-server',
    'adapters',
    'monitor',
    'schedules',
    'report',
    'backtest',
  ],
};
// Composition roots wire the layers together and may import any of them, but not each
// other's entrypoints: worker processes never load the CLI or the demo.
export const compositionRoots = { workers: ['cli', 'demo'], demo: ['cli'] };
const srcFolders = [...Object.keys(layerImports), ...Object.keys(compositionRoots)];
const layerZones = Object.entries(layerImports).map(([layer, allowed]) => ({
  target: `./src/${layer}`,
  from: [
    ...srcFolders.filter((f) => f !== layer && !allowed.includes(f) && !(layer === 'workflows' && f === 'activities')),
    'main.ts',
  ].map((f) => `./src/${f}`),
  message: `src/${layer}/ may import only ${allowed.length ? allowed.map((a) => `${a}/`).join(', ') : 'itself'} (DESIGN.md, layers).`,
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', '.venv/**', 'coverage/**', 'reports/**', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    // Without a resolver import-x cannot follow './x.js' to './x.ts', and its path rules pass silently.
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...layerZones,
            {
              target: './src/backtest',
              from: './src/activities',
              except: ['./evaluation', './held-out-evidence.ts'],
              message:
                "src/backtest/ may import only activities/evaluation/ and held-out-evidence.ts (the gate's and registration's measurements, no Temporal).",
            },
            ...Object.entries(compositionRoots).map(([root, barred]) => ({
              target: `./src/${root}`,
              from: [...barred, 'main.ts'].map((f) => `./src/${f}`),
              message: `src/${root}/ composes the layers; it must not import ${barred.map((b) => `${b}/`).join(', ')} or src/main.ts.`,
            })),
            {
              target: './src',
              from: ['./scripts', './test'],
              message: 'Shipped code must not import scripts/ or test/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins there.
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflow code must be deterministic: no Node built-ins under src/workflows/.',
          })),
          patterns: [
            {
              group: ['**/activities/**'],
              allowTypeImports: true,
              message:
                'Workflows import activities as types only (proxyActivities<typeof …>); the code runs on a worker.',
            },
          ],
        },
      ],
    },
  },
);
