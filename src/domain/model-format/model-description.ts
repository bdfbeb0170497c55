import { z } from 'zod';
import { FeatureKind, taskSchema } from '../features.js';
import { LINEAR_MODEL_FORMAT } from './linear-model.js';

/** The model formats a registry artifact may be in; every consumer scores them through one Scorer port. */
export const ModelFormatId = { linear: LINEAR_MODEL_FORMAT, onnx: 'onnx' } as const;
export type ModelFormatId = (typeof ModelFormatId)[keyof typeof ModelFormatId];
export const modelFormatIdSchema = z.enum([ModelFormatId.linear, ModelFormatId.onnx]);

/** A feature as a model reads it: its name and whether it is a number or a category. */
export const modelFeatureSchema = z.object({
  name: z.string().min(1),
  kind: z.enum([FeatureKind.numeric, FeatureKind.categorical]),
});
export type ModelFeature = z.infer<typeof modelFeatureSchema>;

/** One input or output of a model as its runtime reports it (ONNX element type and shape; symbolic dims as strings). */
export const tensorInfoSchema = z.object({
  name: z.string(),
  /** `float32`, `float64`, `string`, `int64`, … or `sequence/map` for a non-tensor value. */
  type: z.string(),
  shape: z.array(z.union([z.number(), z.string()])),
});
export type TensorInfo = z.infer<typeof tensorInfoSchema>;

/**
 * What registration records about an artifact (in the version's lineage, `lineage.model`):
 * its format, the features it reads in the order it reads them, and for ONNX the opset,
 * the inputs and outputs and how ct-flywheel feeds and reads them. The gateway binds an
 * ONNX model with it, so what the gate judged is exactly what serves.
 */
export const modelDescriptionSchema = z.object({
  format: modelFormatIdSchema,
  task: taskSchema,
  features: z.array(modelFeatureSchema),
  labelThreshold: z.number().min(0).max(1).optional(),
  onnx: z
    .object({
      irVersion: z.number().int().optional(),
      /** Operator sets by domain (`""` is the default ai.onnx domain, `ai.onnx.ml` the classic-ML one). */
      opset: z.record(z.number().int()),
      producer: z.string().optional(),
      inputLayout: z.enum(['matrix', 'columns']),
      inputs: z.array(tensorInfoSchema),
      outputs: z.array(tensorInfoSchema),
      /** The output the score is read from (a ZipMap's input tensor when the model ends in a sequence of maps). */
      scoreOutput: z.string(),
    })
    .optional(),
});
export type ModelDescription = z.infer<typeof modelDescriptionSchema>;

/**
 * The format of an artifact from its bytes: JSON (first non-blank byte `{`) is the linear
 * format; anything else is tried as ONNX, whose loader refuses what is not a model.
 */
export function detectModelFormat(bytes: Uint8Array): ModelFormatId {
  for (const b of bytes) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0xef || b === 0xbb || b === 0xbf) continue; // blanks, UTF-8 BOM
    return b === 0x7b ? ModelFormatId.linear : ModelFormatId.onnx;
  }
  return ModelFormatId.linear; // empty: the JSON parser names the problem
}
