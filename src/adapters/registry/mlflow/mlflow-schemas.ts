import { z } from 'zod';

/** The parts of MLflow's REST answers the registry reads (mlflow==3.17.2), parsed at the boundary. */

const tagList = z
  .array(z.object({ key: z.string(), value: z.string().default('') }))
  .default([])
  .transform((tags) => Object.fromEntries(tags.map((t) => [t.key, t.value])) as Record<string, string>);

export const modelVersionSchema = z.object({
  name: z.string(),
  version: z.coerce.number().int(),
  run_id: z.string().optional(),
  source: z.string().optional(),
  tags: tagList,
});
export type MlflowModelVersion = z.infer<typeof modelVersionSchema>;

export const registeredModelSchema = z.object({
  name: z.string(),
  tags: tagList,
  /** `registered-models/get` returns aliases; `model-versions/search` does not. */
  aliases: z.array(z.object({ alias: z.string(), version: z.coerce.number().int() })).default([]),
});

export const runInfoSchema = z.object({
  run_id: z.string(),
  experiment_id: z.string(),
  status: z.string(),
  start_time: z.coerce.number().default(0),
  artifact_uri: z.string(),
});
export type MlflowRunInfo = z.infer<typeof runInfoSchema>;

export const createRunAnswer = z.object({ run: z.object({ info: runInfoSchema }) });
export const searchRunsAnswer = z.object({
  runs: z.array(z.object({ info: runInfoSchema })).default([]),
  next_page_token: z.string().optional(),
});
export const getVersionAnswer = z.object({ model_version: modelVersionSchema });
export const searchVersionsAnswer = z.object({
  model_versions: z.array(modelVersionSchema).default([]),
  next_page_token: z.string().optional(),
});
export const getModelAnswer = z.object({ registered_model: registeredModelSchema });
export const searchModelsAnswer = z.object({
  registered_models: z.array(registeredModelSchema).default([]),
  next_page_token: z.string().optional(),
});
export const createExperimentAnswer = z.object({ experiment_id: z.string() });
export const getExperimentAnswer = z.object({
  experiment: z.object({ experiment_id: z.string(), lifecycle_stage: z.string().optional() }),
});
export const emptyAnswer = z.object({}).passthrough();
