import type { Scorer } from '../domain/model-format/scorer.js';
import { modelSpecSchema, type ModelSpec } from '../domain/model-spec/model-spec.js';
import { servingSchemaOfSpec, type ServingSchema } from '../domain/model-spec/request-checks.js';
import { OutOfRangePolicy } from '../domain/model-spec/serving-policy.js';

/**
 * Where the gateway learns a model's spec (features, task, serving policy): under
 * `flywheel up`, the model's flywheel (its `status` query); in tests and tools, anything
 * that knows the specs. Null = no spec known for this model.
 */
export interface ModelSpecSource {
  getSpec(modelId: string): ModelSpec | null | Promise<ModelSpec | null>;
}

/** The schema of a served artifact when no spec is known: its feature kinds and task, nothing required. */
export function servingSchemaOfModel(model: Pick<Scorer, 'task' | 'features'>): ServingSchema {
  return {
    task: model.task,
    features: model.features.map((t) =>
      t.kind === 'numeric'
        ? { name: t.name, type: 'numeric', required: false }
        : { name: t.name, type: 'categorical', required: false },
    ),
    outOfRange: OutOfRangePolicy.refuse,
    source: 'artifact',
  };
}

export interface SpecCacheOptions {
  /** How stale a spec may be, i.e. how fast a spec update reaches the gateway (default 5 s). */
  refreshMs?: number;
  /**
   * The first lookup of a model waits at most this long; after that the artifact's schema
   * applies until the lookup answers (default 500 ms). Kept short because it is request
   * latency: a replica restarted while the flywheel's worker is down waits for a query that
   * Temporal holds on the dead worker's sticky queue, and 2 s here pushed a canary's p95 over
   * its 2 s guard (cluster-rollout e2e).
   */
  firstLookupMs?: number;
  now?: () => number;
  onError?: (err: unknown, modelId: string) => void;
}

/**
 * Serving schema per model from the spec source, re-read at most every `refreshMs`. A
 * refresh happens in the background while the last known schema keeps serving, and a
 * source that fails or hangs never blocks or fails a request: without a spec the gateway
 * falls back to the artifact's own schema. A spec that does not parse (e.g. a flywheel
 * started with a raw spec) counts as none.
 */
export class SpecCache {
  private readonly entries = new Map<string, { schema: ServingSchema | null; readAtMs: number }>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(
    private readonly source: ModelSpecSource | undefined,
    private readonly options: SpecCacheOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  get(modelId: string): ServingSchema | null | Promise<ServingSchema | null> {
    if (!this.source) return null;
    const entry = this.entries.get(modelId);
    if (entry && this.now() - entry.readAtMs < this.refreshMs) return entry.schema;
    const refreshed = this.refresh(modelId);
    if (entry) return entry.schema;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.firstLookupMs ?? 500);
      timer.unref();
    });
    return Promise.race([refreshed, giveUp]).then(() => {
      clearTimeout(timer);
      return this.entries.get(modelId)?.schema ?? null;
    });
  }

  private refresh(modelId: string): Promise<void> {
    let inFlight = this.pending.get(modelId);
    if (!inFlight) {
      inFlight = this.read(modelId).finally(() => this.pending.delete(modelId));
      this.pending.set(modelId, inFlight);
    }
    return inFlight;
  }

  private async read(modelId: string): Promise<void> {
    try {
      const raw = await this.source!.getSpec(modelId);
      const parsed = raw === null ? null : modelSpecSchema.safeParse(raw);
      if (parsed && !parsed.success)
        this.options.onError?.(
          new Error(`the spec of ${modelId} does not parse: ${parsed.error.issues[0]?.message ?? ''}`),
          modelId,
        );
      this.entries.set(modelId, {
        schema: parsed?.success ? servingSchemaOfSpec(parsed.data) : null,
        readAtMs: this.now(),
      });
    } catch (err) {
      this.options.onError?.(err, modelId);
      // Keep the last known schema; with none, try again after a short pause instead of on every request.
      const previous = this.entries.get(modelId);
      this.entries.set(modelId, {
        schema: previous?.schema ?? null,
        readAtMs: this.now() - this.refreshMs + Math.min(1_000, this.refreshMs),
      });
    }
  }
}
