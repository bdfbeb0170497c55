import type { Scorer } from '../../domain/model-format/scorer.js';
import type { RoutingTable } from '../../domain/records/routing.js';
import { unservableKindOf, type LoadFailureRecord } from '../../domain/rollout/serviceability.js';
import type { ModelRegistry } from '../registry/model-registry.js';
import { disposeScorer, openScorer } from './index.js';

/** What loading needs from the registry: version → artifact sha, and verified bytes. */
export type ServingRegistry = Pick<ModelRegistry, 'getArtifact' | 'getVersion'>;

export type LoadedModel = { ok: true; scorer: Scorer; sha256: string } | { ok: false; error: Error };

/** Told of every load attempt's outcome; a failure is one record per attempt, never per request. */
export interface ModelLoadObserver {
  /** `heldOut` is the version's held-out metrics from its registration (the baseline live metrics are judged by). */
  loaded?(modelId: string, version: number, heldOut: Readonly<Record<string, number>>): void;
  failed?(failure: LoadFailureRecord, error: Error): void;
}

export interface ModelLoaderOptions {
  retryAfterMs?: number;
  now?: () => number;
  observer?: ModelLoadObserver;
}

/**
 * Loads model versions from the registry, verified and opened once per artifact sha (one
 * Scorer, so one ONNX Runtime session, per artifact; bound to the features and task its
 * registration recorded).
 * The registry re-hashes the bytes on every read and throws ArtifactIntegrityError on a
 * mismatch; a failure is remembered for `retryAfterMs` (so a tampered blob is not
 * re-hashed on every request) and then tried again (so a repaired blob serves again).
 * Registry versions are immutable, so version → sha is cached for good. Every failed
 * attempt is told to the observer: the gateway records it per version in the serving
 * state, where the rollout's guards read "candidate refused by the gateway".
 */
export class ModelLoader {
  private readonly shaByVersion = new Map<string, string>();
  private readonly modelBySha = new Map<string, Scorer>();
  private readonly routedRevision = new Map<string, number>();
  private readonly failures = new Map<string, { error: Error; atMs: number }>();
  private readonly pending = new Map<string, Promise<LoadedModel>>();

  constructor(
    private readonly registry: ServingRegistry,
    private readonly options: ModelLoaderOptions = {},
  ) {}

  /** Resolves a served version to its parsed model, or the reason it cannot be served. */
  load(modelId: string, version: number): Promise<LoadedModel> | LoadedModel {
    const key = `${modelId}@${version}`;
    const sha = this.shaByVersion.get(key);
    const cached = sha === undefined ? undefined : this.modelBySha.get(sha);
    // A scorer released elsewhere in this process (its version was retired) is opened again if still routed.
    if (cached && sha && !cached.released) return { ok: true, scorer: cached, sha256: sha };
    const now = (this.options.now ?? Date.now)();
    const failed = this.failures.get(key);
    if (failed && now - failed.atMs < (this.options.retryAfterMs ?? 1_000)) return { ok: false, error: failed.error };
    let inFlight = this.pending.get(key);
    if (!inFlight) {
      inFlight = this.fetch(modelId, version, key).finally(() => this.pending.delete(key));
      this.pending.set(key, inFlight);
    }
    return inFlight;
  }

  /** An observer that throws must not turn a served model into a failure. */
  private notify(fn: (o: ModelLoadObserver) => void): void {
    const o = this.options.observer;
    if (!o) return;
    try {
      fn(o);
    } catch {
      // the observer reports its own errors
    }
  }

  private async fetch(modelId: string, version: number, key: string): Promise<LoadedModel> {
    try {
      const manifest = await this.registry.getVersion(modelId, version);
      const sha = manifest.artifact.sha256;
      let scorer = this.modelBySha.get(sha);
      if (!scorer || scorer.released) {
        const bytes = await this.registry.getArtifact(sha);
        const described = manifest.lineage.model;
        scorer = await openScorer({
          bytes,
          sha256: sha,
          ...(described ? { features: described.features, task: described.task } : {}),
        });
        this.modelBySha.set(sha, scorer);
      }
      this.shaByVersion.set(key, sha);
      this.failures.delete(key);
      this.notify((o) => o.loaded?.(modelId, version, manifest.lineage.metrics.heldOut));
      return { ok: true, scorer, sha256: sha };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const atMs = (this.options.now ?? Date.now)();
      this.failures.set(key, { error, atMs });
      this.notify((o) =>
        o.failed?.(
          {
            modelId,
            version,
            kind: unservableKindOf(error.name),
            message: error.message.slice(0, 2000),
            atMs: Math.floor(atMs),
          },
          error,
        ),
      );
      return { ok: false, error };
    }
  }

  /**
   * Forgets the versions of a model its routing no longer serves (champion, canary, shadow)
   * and releases their scorers, so a retired version's ONNX session does not outlive it.
   * Cheap to call on every request: it acts only when the routing revision changed.
   */
  retainRouted(table: RoutingTable): void {
    if (this.routedRevision.get(table.modelId) === table.revision) return;
    this.routedRevision.set(table.modelId, table.revision);
    const served = new Set(
      [table.championVersion, table.canary?.version, table.shadowVersion]
        .filter((v) => v !== undefined)
        .map((v) => `${table.modelId}@${v}`),
    );
    const prefix = `${table.modelId}@`;
    for (const key of [...this.shaByVersion.keys()]) {
      if (key.startsWith(prefix) && !served.has(key)) this.shaByVersion.delete(key);
    }
    const stillUsed = new Set(this.shaByVersion.values());
    for (const sha of [...this.modelBySha.keys()]) {
      if (stillUsed.has(sha)) continue;
      this.modelBySha.delete(sha);
      void disposeScorer(sha);
    }
  }
}
