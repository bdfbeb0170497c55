import { z } from 'zod';

/** The model id alphabet, for checks that run before (or instead of) the schema. */
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Model ids become file names and workflow ids: keep them to a safe alphabet. */
export const modelIdSchema = z
  .string()
  .regex(MODEL_ID_PATTERN, 'model id must be 1-64 chars of a-z, 0-9, ".", "_", "-" starting with a letter or digit');

export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex characters');

export const cycleIdSchema = z.string().min(1).max(200);

export const versionNumberSchema = z.number().int().min(1);

export const isoTimeSchema = z.string().datetime({ offset: true });
