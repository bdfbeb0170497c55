import { ApplicationFailure, log } from '@temporalio/activity';
import type { ModelRegistry } from '../adapters/registry/model-registry.js';
import { VersionNotFoundError } from '../adapters/registry/registry-errors.js';
import type { ServingState } from '../adapters/serving-state/serving-state.js';
import { monitorDriftSettingsSchema } from '../domain/policies/validation-policy.js';
import type { RoutingTable } from '../domain/records/routing.js';
import {
  chooseDriftReference,
  DEFAULT_REFERENCE_AFTER_PROMOTION,
  judgeDrift,
  judgePerformance,
  performanceWindow,
  replacedAnotherChampion,
  type DriftReference,
  type MonitorFinding,
} from '../domain/monitor/index.js';
import type { ModelVersion } from '../domain/records/model-version.js';
import type { ReferenceProfile } from '../stats/drift/reference-profile.js';
import { decideSignals } from '../monitor/decide-signals.js';
import type { InspectProductionInput } from '../monitor/inspection-input.js';
import { featureDrifts, productionProfile } from '../monitor/drift-evidence.js';
import { FailureType } from '../domain/failure-types.js';
import { mapFailures, toApplicationFailure } from './errors.js';
import { createVersionProfileReader } from './version-profile.js';
import { estimateWindowPerformance } from '../monitor/estimate-performance.js';

/** The freshest rows the label-free estimate reads at most (its band draws labels for each of them). */
const ESTIMATE_MAX_ROWS = 20_000;

/** Where the monitor reads production evidence. Storage roots are the worker's choice. */
export interface MonitorActivityDeps {
  readonly servingState: Pick<ServingState, 'getRouting' | 'routingHistory' | 'readLiveMetrics' | 'readFeatureWindow'>;
  readonly registry: Pick<ModelRegistry, 'getVersion'>;
  /** Root of the dataset snapshots (reference profiles live at `<root>/<snapshotId>/reference-profile.json`). */
  readonly snapshotRoot: string;
  readonly now?: () => number;
  /**
   * Told every finding this process makes (the worker's Prometheus gauges, src/metrics/monitor-metrics.ts),
   * so what an alert sees is what the monitor judged. Must be cheap and must not throw.
   */
  readonly findings?: { record(finding: MonitorFinding): void };
}

export type { InspectProductionInput };

/** Start of the latest unbroken run of routing revisions that kept today's champion. */
export function championSince(history: readonly RoutingTable[], championVersion: number): number | null {
  let since: number | null = null;
  for (const revision of history) {
    if (revision.championVersion !== championVersion) since = null;
    else since ??= Date.parse(revision.updatedAt);
  }
  return since;
}

/**
 * The monitor's activities. `inspectProduction` reads the prediction log around now:
 * feature drift of the trailing window against the serving champion's reference profile,
 * and live accuracy over the window whose labels have had time to arrive, judged against
 * the champion's held-out accuracy. It decides the signals but does not send them: the
 * workflow does, so every signal is recorded in its history.
 */
export function createMonitorActivities(deps: MonitorActivityDeps) {
  const now = deps.now ?? Date.now;
  const readVersionProfile = createVersionProfileReader(deps.snapshotRoot);

  /**
   * The profile drift is measured against: the champion's training reference (checked
   * against the sha256 the version recorded at registration: a tampered profile is a
   * non-retryable ProfileIntegrity failure), or the features logged in its first window in
   * service; none while that window fills. `notBeforeMs`: where the drift window may start.
   */
  async function driftReferenceProfile(
    manifest: ModelVersion,
    reference: DriftReference,
    modelId: string,
  ): Promise<{ profile: ReferenceProfile | null; notBeforeMs: number }> {
    if (reference.kind === 'filling') return { profile: null, notBeforeMs: reference.readyAtMs };
    if (reference.kind === 'production') {
      const logged = await deps.servingState.readFeatureWindow({ modelId, ...reference });
      return { profile: productionProfile(logged.table), notBeforeMs: reference.toMs };
    }
    const read = await mapFailures(() => readVersionProfile(manifest));
    return { profile: 'missing' in read ? null : read.profile, notBeforeMs: 0 };
  }

  async function inspectProduction(input: InspectProductionInput): Promise<MonitorFinding> {
    const atMs = now();
    const { modelId, thresholds } = input;
    const driftSettings = monitorDriftSettingsSchema.safeParse(input.drift ?? {});
    if (!driftSettings.success) {
      const issues = driftSettings.error.issues.map((i) => `drift.${i.path.join('.')}: ${i.message}`).join('; ');
      throw ApplicationFailure.create({
        type: FailureType.MonitorInputInvalid,
        nonRetryable: true,
        message: `bad drift settings for ${modelId}: ${issues}`,
      });
    }
    const routing = await deps.servingState.getRouting(modelId);
    if (!routing) {
      const unserved: MonitorFinding = {
        atMs,
        modelId,
        championVersion: null,
        championSinceMs: null,
        drift: null,
        performance: null,
        signals: [],
        summary: `${modelId} is not served yet: nothing to watch`,
      };
      deps.findings?.record(unserved);
      return unserved;
    }
    const champion = routing.championVersion;
    // Only a version the registry really lacks is permanent; a busy or unreadable registry is retried.
    const manifest = await deps.registry.getVersion(modelId, champion).catch((error: unknown) => {
      if (!(error instanceof VersionNotFoundError)) throw toApplicationFailure(error);
      throw ApplicationFailure.create({
        type: FailureType.VersionNotFound,
        nonRetryable: true,
        message: `routing serves ${modelId} v${champion} but the registry has no such version: ${error.message}`,
      });
    });
    const routingHistory = await deps.servingState.routingHistory(modelId);
    const sinceMs = championSince(routingHistory, champion) ?? 0;

    const reference = chooseDriftReference(input.referenceAfterPromotion ?? DEFAULT_REFERENCE_AFTER_PROMOTION, {
      atMs,
      sinceMs,
      driftWindowMs: input.driftWindowMs,
      promoted: replacedAnotherChampion(routingHistory, champion),
    });
    const { profile, notBeforeMs } = await driftReferenceProfile(manifest, reference, modelId);
    const driftFrom = Math.min(atMs, Math.max(atMs - input.driftWindowMs, notBeforeMs, 0));
    const window = await deps.servingState.readFeatureWindow({ modelId, fromMs: driftFrom, toMs: atMs });
    const judged = judgeDrift(
      {
        rows: window.table.rowCount,
        fromMs: driftFrom,
        toMs: atMs,
        features:
          profile && window.table.rowCount >= thresholds.minDriftRows
            ? featureDrifts(profile, window.table, driftSettings.data)
            : profile
              ? []
              : null,
      },
      thresholds,
    );
    const drift =
      reference.kind === 'filling'
        ? {
            ...judged,
            summary: `production reference of v${champion} fills until ${new Date(reference.readyAtMs).toISOString()}`,
          }
        : judged;

    const perfWindow = performanceWindow(atMs, input.performanceWindowMs, input.labelLatencyMs, sinceMs);
    const live = await deps.servingState.readLiveMetrics({ modelId, version: champion, ...perfWindow });
    // The estimate needs no labels, so it reads the freshest rows: up to now, not the label latency before.
    const calibration = manifest.lineage.calibration;
    const estimateSpan = { fromMs: Math.min(atMs, Math.max(sinceMs, atMs - input.performanceWindowMs)), toMs: atMs };
    const estimated = calibration
      ? estimateWindowPerformance(
          await deps.servingState.readFeatureWindow({
            modelId,
            version: champion,
            ...estimateSpan,
            limit: ESTIMATE_MAX_ROWS,
          }),
          calibration,
          estimateSpan,
        )
      : null;
    const performance = judgePerformance(
      {
        ...perfWindow,
        count: live.count,
        labeledCount: live.labeledCount,
        accuracy: live.accuracy,
        baseline: manifest.lineage.metrics.heldOut.accuracy,
        estimated,
      },
      thresholds,
    );

    const signals = decideSignals(drift, performance, {
      modelId,
      championVersion: champion,
      importance: manifest.lineage.importance?.byFeature ?? null,
      nowMs: atMs,
      lastSignals: input.lastSignals,
      thresholds,
    });
    const estimate = performance.estimated
      ? `; estimated ${performance.estimated.status} (${performance.estimated.summary})`
      : '';
    const summary = `v${champion}: drift ${drift.status} (${drift.summary}); performance ${performance.status} (${performance.summary})${estimate}${signals.length ? `; signals ${signals.map((s) => s.signal).join(', ')}` : ''}`;
    log.info('production check', {
      modelId,
      champion,
      drift: drift.status,
      performance: performance.status,
      signals: signals.length,
    });
    const finding = {
      atMs,
      modelId,
      championVersion: champion,
      championSinceMs: sinceMs,
      drift,
      performance,
      signals,
      summary,
    };
    deps.findings?.record(finding);
    return finding;
  }

  return { inspectProduction };
}

export type MonitorActivities = ReturnType<typeof createMonitorActivities>;
