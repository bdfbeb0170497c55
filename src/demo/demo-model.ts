import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ModelRegistry } from '../adapters/registry/index.js';
import { openScorer, type Scorer } from '../adapters/model-formats/index.js';
import { loadModelSpec } from '../adapters/spec-loader.js';
import { answerOf, type FeatureRow } from '../domain/model-format/index.js';
import { parseModelSpec, type ModelSpec } from '../domain/model-spec/model-spec.js';
import { DEMO } from './demo-config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The model families the demo runs the same story with: `npm run demo -- --model <name>`. */
export const DEMO_MODELS = {
  /** The default: the built-in trainer's logistic regression (sea-demo.yaml as written). */
  linear: { id: 'sea-demo', family: 'logistic regression (built-in trainer)' },
  /** 200 LightGBM boosted trees trained by examples/python-lightgbm/train.py, served as ONNX. */
  'onnx-gbdt': { id: 'sea-demo-gbdt', family: 'gradient-boosted trees (LightGBM, 200 rounds, trained in Python)' },
} as const;
export type DemoModel = keyof typeof DEMO_MODELS;

/** `--model <name>` or `--model=<name>` from the demo's arguments; `linear` when absent. */
export function demoModelFromArgs(argv: readonly string[]): DemoModel {
  const i = argv.findIndex((a) => a === '--model' || a.startsWith('--model='));
  if (i < 0) return 'linear';
  const name = argv[i]!.includes('=') ? argv[i]!.slice('--model='.length) : argv[i + 1];
  if (name !== undefined && Object.hasOwn(DEMO_MODELS, name)) return name as DemoModel;
  throw new Error(
    `--model must be one of ${Object.keys(DEMO_MODELS).join(', ')} (got ${name === undefined ? 'nothing' : `"${name}"`})`,
  );
}

/**
 * The demo spec for a model family: sea-demo.yaml as is, or with its trainer swapped for the
 * LightGBM example (its venv created on first use, which takes a few minutes once). Same
 * data, gate, approval, canary and trigger: only what is trained and served changes.
 */
export async function demoSpec(model: DemoModel): Promise<ModelSpec> {
  const base = await loadModelSpec(DEMO.specPath);
  if (model === 'linear') return base;
  const script = `${ROOT}examples/python-common/ensure-venv.sh`;
  const { stdout } = await promisify(execFile)('bash', [script, `${ROOT}examples/python-lightgbm/requirements.txt`], {
    cwd: ROOT,
  });
  const python = stdout.trim().split('\n').at(-1)!;
  return parseModelSpec({
    ...base,
    id: DEMO_MODELS[model].id,
    description: `${base.description ?? 'Demo classifier'}, LightGBM exported to ONNX`,
    trainer: {
      kind: 'command',
      command: [python, 'examples/python-lightgbm/train.py'],
      cwd: ROOT,
      timeoutSeconds: 600,
      hyperparameters: {
        rounds: 200,
        roundsPerEpoch: 20,
        learningRate: 0.1,
        numLeaves: 15,
        minDataInLeaf: 20,
        seed: 0,
      },
    },
  });
}

/** The scorer of a registered version: the frozen baseline scores traffic with it, whatever its format. */
export async function versionScorer(registry: ModelRegistry, spec: ModelSpec, version: number): Promise<Scorer> {
  const v = await registry.getVersion(spec.id, version);
  return openScorer({
    bytes: await registry.getArtifact(v.artifact.sha256),
    sha256: v.artifact.sha256,
    features: spec.features,
    task: spec.task,
  });
}

/**
 * The frozen "no CT" copy of the first champion: it keeps scoring the traffic as if nothing
 * had been retrained. It scores through its artifact's shared scorer, and the registry
 * releases that scorer (its ONNX Runtime session) when the version is archived after a
 * promotion; the frozen copy then opens the artifact afresh, once (its bytes never change).
 */
export class FrozenModel {
  private constructor(
    private scorer: Scorer,
    private readonly reopen: () => Promise<Scorer>,
  ) {}

  static async open(registry: ModelRegistry, spec: ModelSpec, version: number): Promise<FrozenModel> {
    const reopen = () => versionScorer(registry, spec, version);
    return new FrozenModel(await reopen(), reopen);
  }

  /** The class (or value) the frozen model predicts for a row. */
  async predict(row: FeatureRow): Promise<number> {
    const scorer = this.scorer;
    try {
      return answerOf(scorer, await scorer.scoreRow(row)).prediction;
    } catch (error) {
      if (this.scorer === scorer) this.scorer = await this.reopen().catch(() => Promise.reject(error as Error));
      return answerOf(this.scorer, await this.scorer.scoreRow(row)).prediction;
    }
  }
}

/** One line saying what served a version: its format as the scorer reads it, and the family it was trained as. */
export async function servedBy(
  registry: ModelRegistry,
  spec: ModelSpec,
  model: DemoModel,
  version: number,
): Promise<string> {
  const d = (await versionScorer(registry, spec, version)).describe();
  const onnx = d.onnx
    ? ` by ONNX Runtime (${d.onnx.producer ?? 'unknown producer'}, opsets ${Object.entries(d.onnx.opset)
        .map(([k, v]) => `${k || 'ai.onnx'} ${v}`)
        .join(', ')}, ${d.onnx.inputLayout} input)`
    : '';
  return `v${version}: ${DEMO_MODELS[model].family}, format ${d.format}${onnx}`;
}
