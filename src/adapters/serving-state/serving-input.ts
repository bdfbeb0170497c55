import type { z } from 'zod';
import { predictionLogEntrySchema, type PredictionLogEntry } from '../../domain/records/prediction-log-entry.js';
import {
  liveMetricsQuerySchema,
  routingSpecSchema,
  routingTableSchema,
  type LiveMetricsQuery,
  type RoutingSpec,
  type RoutingTable,
} from '../../domain/records/index.js';
import { labelRecordSchema, ServingInputError, type LabelRecord } from './serving-state.js';

/**
 * The input checks every serving-state implementation applies before it writes or queries,
 * so SQLite and PostgreSQL refuse the same input with the same message (the contract tests
 * run on both).
 */
export function describeIssues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function parseRoutingSpec(modelId: string, routing: RoutingSpec): RoutingSpec {
  const parsed = routingSpecSchema.safeParse(routing);
  if (!parsed.success) throw new ServingInputError(`invalid routing for ${modelId}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function parsePrediction(raw: PredictionLogEntry): z.output<typeof predictionLogEntrySchema> {
  const p = predictionLogEntrySchema.safeParse(raw);
  if (!p.success)
    throw new ServingInputError(
      `invalid prediction record ${JSON.stringify(raw.requestId)}: ${describeIssues(p.error)}`,
    );
  return p.data;
}

export function parseLabel(raw: LabelRecord): LabelRecord {
  const p = labelRecordSchema.safeParse(raw);
  if (!p.success) throw new ServingInputError(`invalid label: ${describeIssues(p.error)}`);
  return p.data;
}

export function parseLiveMetricsQuery(query: LiveMetricsQuery): LiveMetricsQuery {
  const q = liveMetricsQuerySchema.safeParse(query);
  if (!q.success) throw new ServingInputError(`invalid live metrics query: ${describeIssues(q.error)}`);
  return q.data;
}

/** A stored routing row as the port's RoutingTable (the spec as JSON text or an already parsed object). */
export function routingTableOf(
  modelId: string,
  row: { revision: number; spec: string | RoutingSpec; updatedAt: string },
): RoutingTable {
  const spec = typeof row.spec === 'string' ? (JSON.parse(row.spec) as RoutingSpec) : row.spec;
  return routingTableSchema.parse({ modelId, ...spec, revision: row.revision, updatedAt: row.updatedAt });
}
