import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { DataSources } from '../adapters/data-sources/index.js';
import { snapshotRefSchema, type SnapshotRef } from '../domain/records/snapshot-ref.js';
import { readSnapshotTable } from '../adapters/data-sources/snapshot-store.js';
import type { ModelRegistry } from '../adapters/registry/model-registry.js';
import { modelSpecSchema, type ModelSpec } from '../domain/model-spec/model-spec.js';
import { driftReport, driftReportOptions, type DriftReport } from '../stats/drift/index.js';
import { checkDataQuality, type QualityReport, type QualitySchema } from '../stats/quality/index.js';
import { FailureType } from '../domain/failure-types.js';
import { mapFailures, parseInput } from './errors.js';
import { createVersionProfileReader } from './version-profile.js';

export interface DataActivityDeps {
  readonly dataSources: DataSources;
  readonly registry: ModelRegistry;
  /** Where snapshots live: the champion's reference profile is `<snapshotRoot>/<snapshotId>/reference-profile.json`. */
  readonly snapshotRoot: string;
}

export interface SnapshotDataInput {
  readonly spec: ModelSpec;
  readonly cycleId: string;
  /** Time window for windowed (synthetic) sources; default: the source's `defaultWindow`. */
  readonly window?: number;
}

export interface ValidateDataInput {
  readonly spec: ModelSpec;
  readonly snapshot: SnapshotRef;
  /** Compare against this version's training data profile; absent for the first model. */
  readonly championVersion?: number;
}

export interface ValidationReport {
  /** False when quality failed, or the dataset drifted and `validation.drift.failOnDrift` is set. */
  readonly passed: boolean;
  readonly snapshotId: string;
  readonly quality: QualityReport;
  readonly drift: DriftReport | null;
  /** Why drift was not checked (first model, champion profile unavailable), when it was not. */
  readonly driftSkipped?: string;
  /** One line per problem, for the cycle report and the UI. */
  readonly summary: string[];
}

const snapshotInputSchema = z.object({
  spec: modelSpecSchema,
  cycleId: z.string().min(1),
  window: z.number().int().nonnegative().optional(),
});
const validateInputSchema = z.object({
  spec: modelSpecSchema,
  snapshot: snapshotRefSchema,
  championVersion: z.number().int().positive().optional(),
});

/** The spec's feature schema and validation policy as the stats quality schema. */
export function qualitySchemaFor(spec: ModelSpec): QualitySchema {
  const v = spec.validation;
  return {
    columns: spec.features.map((f) => ({
      name: f.name,
      type: f.type,
      required: f.required,
      ...(f.type === 'numeric'
        ? { min: f.min, max: f.max, maxOutOfRangeShare: v.maxOutOfRangeRate }
        : { allowedValues: f.allowedValues, maxUnseenShare: v.maxOutOfRangeRate }),
      maxMissingRate: v.maxMissingRateByFeature[f.name] ?? v.maxMissingRate,
    })),
    label: { name: spec.label.name, task: spec.task, minClassShare: v.minClassRate },
    maxMissingRate: v.maxMissingRate,
    minRows: v.minRows,
  };
}

/** Data activities: snapshot the configured source, then validate the snapshot before training. */
export function createDataActivities({ dataSources, registry, snapshotRoot }: DataActivityDeps) {
  const readVersionProfile = createVersionProfileReader(snapshotRoot);
  // Checked against the sha256 the champion recorded at registration: a tampered profile is a ProfileIntegrity failure.
  async function championProfile(spec: ModelSpec, championVersion: number) {
    const read = await readVersionProfile(await registry.getVersion(spec.id, championVersion));
    return 'missing' in read
      ? { skipped: `champion v${championVersion}'s reference profile ${read.missing} is not available` }
      : { profile: read.profile };
  }

  return {
    /**
     * Snapshots the spec's data source (and window) into an immutable train + held-out
     * snapshot. Idempotent: a retry returns the same snapshot id. A schema mismatch is a
     * non-retryable `DatasetSchema` failure naming the column and file.
     */
    async snapshotData(input: SnapshotDataInput): Promise<SnapshotRef> {
      const i = parseInput(snapshotInputSchema, input, 'snapshotData');
      return mapFailures(() => dataSources[i.spec.dataSource.kind].snapshot({ spec: i.spec, window: i.window }));
    },

    /**
     * Checks the snapshot's training rows for data quality and, when there is a champion,
     * for drift against the champion's training profile. Failing quality is a
     * non-retryable `DataValidationFailed` failure whose details carry the full report.
     */
    async validateData(input: ValidateDataInput): Promise<ValidationReport> {
      const i = parseInput(validateInputSchema, input, 'validateData');
      const report = await mapFailures(async (): Promise<ValidationReport> => {
        const { table } = await readSnapshotTable(i.snapshot.path, 'train');
        const quality = checkDataQuality(table, qualitySchemaFor(i.spec));
        const policy = i.spec.validation.drift;
        let drift: DriftReport | null = null;
        let driftSkipped: string | undefined = 'first model: no champion to compare with';
        if (i.championVersion !== undefined) {
          const champion = await championProfile(i.spec, i.championVersion);
          driftSkipped = champion.skipped;
          if (champion.profile) {
            const columns = i.spec.features
              .map((f) => f.name)
              .filter((n) => champion.profile.columns[n] && table.columns[n]);
            drift = driftReport(champion.profile, table, driftReportOptions(policy, columns));
          }
        }
        const driftFails = policy.failOnDrift && drift?.datasetDrift === true;
        const summary = [
          ...quality.findings
            .filter((f) => f.severity === 'error')
            .map((f) => `${f.column ? `${f.column}: ` : ''}${f.message}`),
          ...(drift && drift.driftedColumns.length > 0
            ? [
                `drift vs champion in ${drift.driftedColumns.join(', ')} (${Math.round(drift.driftShare * 100)}% of features)${driftFails ? ': validation.drift.failOnDrift is set' : ''}`,
              ]
            : []),
        ];
        return {
          passed: quality.passed && !driftFails,
          snapshotId: i.snapshot.snapshotId,
          quality,
          drift,
          ...(driftSkipped ? { driftSkipped } : {}),
          summary,
        };
      });
      if (!report.passed) {
        throw ApplicationFailure.create({
          type: FailureType.DataValidationFailed,
          message: `Snapshot ${report.snapshotId} failed validation: ${report.summary.join('; ')}`,
          nonRetryable: true,
          details: [report],
        });
      }
      return report;
    },
  };
}
