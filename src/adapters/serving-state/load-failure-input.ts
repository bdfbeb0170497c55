import { z } from 'zod';
import { loadFailureRecordSchema, type LoadFailureRecord } from '../../domain/rollout/serviceability.js';
import { describeIssues } from './serving-input.js';
import { ServingInputError, type LoadFailureQuery } from './serving-state.js';

const querySchema = z
  .object({
    modelId: z.string().min(1),
    version: z.number().int().min(1),
    fromMs: z.number().int().min(0),
    toMs: z.number().int().min(0),
  })
  .refine((q) => q.toMs >= q.fromMs, { message: 'toMs must be >= fromMs', path: ['toMs'] });

/** A gateway's load-failure record, checked the same way on every backend. */
export function parseLoadFailureRecord(failure: LoadFailureRecord): LoadFailureRecord {
  const f = loadFailureRecordSchema.safeParse(failure);
  if (!f.success) throw new ServingInputError(`invalid load failure record: ${describeIssues(f.error)}`);
  return f.data;
}

export function parseLoadFailureQuery(query: LoadFailureQuery): LoadFailureQuery {
  const q = querySchema.safeParse(query);
  if (!q.success) throw new ServingInputError(`invalid load failure query: ${describeIssues(q.error)}`);
  return q.data;
}
