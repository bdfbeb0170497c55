import { parseLinearModel, type LinearModel } from '../domain/model-format/linear-model.js';
import type { ServingRegistry } from './gateway-ports.js';

export type LoadedModel = { ok: true; model: LinearModel; sha256: string } | { ok: false; error: Error };

/**
 * Loads model versions from the registry, verified and parsed once per artifact sha.
 * The registry re-hashes the bytes on every read and throws ArtifactIntegrityError on a
 * mismatch; a failure is remembered for `retryAfterMs` (so a tampered blob is not
 * re-hashed on every request) and then tried again (so a repaired blob serves again).
 * Registry versions are immutable, so version → sha is cached for good.
 */
export class ModelLoader {
  private readonly shaByVersion = new Map<string, string>();
  private readonly modelBySha = new Map<string, LinearModel>();
  private readonly failures = new Map<string, { error: Error; atMs: number }>();
  private readonly pending = new Map<string, Promise<LoadedModel>>();

  constructor(
    private readonly registry: ServingRegistry,
    private readonly options: { retryAfterMs?: number; now?: () => number } = {},
  ) {}

  /** Resolves a served version to its parsed model, or the reason it cannot be served. */
  load(modelId: string, version: number): Promise<LoadedModel> | LoadedModel {
    const key = `${modelId}@${version}`;
    const sha = this.shaByVersion.get(key);
    const cached = sha === undefined ? undefined : this.modelBySha.get(sha);
    if (cached && sha) return { ok: true, model: cached, sha256: sha };
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

  private async fetch(modelId: string, version: number, key: string): Promise<LoadedModel> {
    try {
      const manifest = await this.registry.getVersion(modelId, version);
      const sha = manifest.artifact.sha256;
      let model = this.modelBySha.get(sha);
      if (!model) {
        const bytes = await this.registry.getArtifact(sha);
        model = parseLinearModel(Buffer.from(bytes).toString('utf8'));
        this.modelBySha.set(sha, model);
      }
      this.shaByVersion.set(key, sha);
      this.failures.delete(key);
      return { ok: true, model, sha256: sha };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.failures.set(key, { error, atMs: (this.options.now ?? Date.now)() });
      return { ok: false, error };
    }
  }
}
