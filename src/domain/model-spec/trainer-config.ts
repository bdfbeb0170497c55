import { z } from 'zod';

/**
 * How a model is trained (the `trainer` block of a model spec): the built-in TypeScript
 * linear trainer or any command that follows docs/trainer-contract.md.
 */
export const TrainingStrategy = { fullRetrain: 'fullRetrain', fineTune: 'fineTune' } as const;
export type TrainingStrategy = (typeof TrainingStrategy)[keyof typeof TrainingStrategy];
const strategy = z
  .enum([TrainingStrategy.fullRetrain, TrainingStrategy.fineTune])
  .default(TrainingStrategy.fullRetrain);

/** Hyperparameters of the built-in logistic (classification) / ridge (regression) trainer. */
export const builtinHyperparametersSchema = z
  .object({
    epochs: z.number().int().min(1).max(10_000).default(40),
    learningRate: z.number().positive().max(10).default(0.5),
    /** lr at epoch e = learningRate / (1 + learningRateDecay * e). */
    learningRateDecay: z.number().min(0).default(0.01),
    /** L2 penalty on the weights (not the intercept). */
    l2: z.number().min(0).default(0.0001),
    /** 0 = full batch; otherwise rows per mini-batch, shuffled per epoch by the seed. */
    batchSize: z.number().int().min(0).default(256),
    seed: z.number().int().nonnegative().default(1),
  })
  .strict();
export type BuiltinHyperparameters = z.infer<typeof builtinHyperparametersSchema>;

export const builtinTrainerSchema = z
  .object({
    kind: z.literal('builtin'),
    strategy,
    hyperparameters: builtinHyperparametersSchema.default({}),
  })
  .strict();

export const commandTrainerSchema = z
  .object({
    kind: z.literal('command'),
    strategy,
    /** argv, e.g. [".venv/bin/python", "examples/python-sklearn/train.py"]; the input file path is appended. */
    command: z.array(z.string().min(1)).min(1, 'Give the program and its arguments, e.g. ["python", "train.py"]'),
    /** Working directory; relative paths resolve against the spec file's folder. */
    cwd: z.string().optional(),
    env: z.record(z.string()).default({}),
    timeoutSeconds: z.number().int().positive().default(3600),
    /** Passed through to the command as `params`. */
    hyperparameters: z.record(z.unknown()).default({}),
  })
  .strict();

export const trainerConfigSchema = z.discriminatedUnion('kind', [builtinTrainerSchema, commandTrainerSchema]);
export type TrainerConfig = z.infer<typeof trainerConfigSchema>;
export type BuiltinTrainerConfig = z.infer<typeof builtinTrainerSchema>;
export type CommandTrainerConfig = z.infer<typeof commandTrainerSchema>;
