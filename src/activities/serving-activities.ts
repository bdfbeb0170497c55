import { z } from 'zod';
import type { ServingState } from '../adapters/serving-state/serving-state.js';
import {
  modelIdSchema,
  routingSpecSchema,
  versionNumberSchema,
  type LiveMetrics,
  type RoutingSpec,
  type RoutingTable,
} from '../domain/records/index.js';
import { mapFailures, parseInput as parse } from './errors.js';

export interface ServingActivityDeps {
  readonly servingState: ServingState;
}

/** Activities the rollout workflow uses to move traffic and read what production saw. */
export function createServingActivities({ servingState }: ServingActivityDeps) {
  return {
    /**
     * Replaces a model's routing. Pass `expectedRevision` for compare-and-set; a stale
     * revision fails with the non-retryable `RoutingConflict` type.
     */
    async setRouting(input: {
      modelId: string;
      routing: RoutingSpec;
      expectedRevision?: number;
    }): Promise<{ revision: number }> {
      const i = parse(
        z.object({
          modelId: modelIdSchema,
          routing: routingSpecSchema,
          expectedRevision: z.number().int().min(0).optional(),
        }),
        input,
        'setRouting',
      );
      const opts = i.expectedRevision === undefined ? {} : { expectedRevision: i.expectedRevision };
      return mapFailures(async () => ({
        revision: (await servingState.setRouting(i.modelId, i.routing, opts)).revision,
      }));
    },

    async getRouting(modelId: string): Promise<RoutingTable | null> {
      const id = parse(modelIdSchema, modelId, 'getRouting');
      return mapFailures(() => servingState.getRouting(id));
    },

    /** Live metrics of one version over `[fromMs, toMs)` from the prediction log. */
    async readLiveMetrics(input: {
      modelId: string;
      version: number;
      fromMs: number;
      toMs: number;
      task?: 'binaryClassification' | 'regression';
    }): Promise<LiveMetrics> {
      const i = parse(
        z.object({
          modelId: modelIdSchema,
          version: versionNumberSchema,
          fromMs: z.number().int().min(0),
          toMs: z.number().int().min(0),
          task: z.enum(['binaryClassification', 'regression']).optional(),
        }),
        input,
        'readLiveMetrics',
      );
      // The rollout's recorded judgement then shows which gateway replicas served what it judged.
      return mapFailures(() => servingState.readLiveMetrics({ ...i, servedBy: true }));
    },
  };
}

export type ServingActivities = ReturnType<typeof createServingActivities>;
