import type { z } from 'zod';
import { cycleIdSchema, lineageSchema, modelIdSchema, type Lineage } from '../../domain/records/index.js';
import type { RegisterVersionInput } from './model-registry.js';
import { RegistryInputError } from './registry-errors.js';

/** Parses a registry call's argument, refusing it with the field at fault (RegistryInputError, not retryable). */
export function parseRegistryInput<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new RegistryInputError(
      `invalid ${what}${i && i.path.length ? ` at ${i.path.join('.')}` : ''}: ${i?.message ?? 'invalid'}`,
    );
  }
  return r.data;
}

/** The checked arguments of a registration: a valid model id, a parsed lineage and a cycle id. */
export function parseRegistration(input: RegisterVersionInput): { modelId: string; cycleId: string; lineage: Lineage } {
  const modelId = parseRegistryInput(modelIdSchema, input.modelId, 'modelId');
  const lineage = parseRegistryInput(lineageSchema, input.lineage, 'lineage');
  if (!input.cycleId) throw new RegistryInputError('cycleId is required: it makes registration idempotent');
  const cycleId = parseRegistryInput(cycleIdSchema, input.cycleId, 'cycleId');
  return { modelId, cycleId, lineage };
}
