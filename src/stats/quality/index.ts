export { checkDataQuality } from './check-data-quality.js';
export type { QualityOptions, QualityReport } from './check-data-quality.js';
export type { ColumnSummary } from './column-summary.js';
export { QualityCheck } from './findings.js';
export type { QualityFinding } from './findings.js';
export { QUALITY_DEFAULTS } from './schema.js';
export type {
  FindingLevel,
  QualityColumnSchema,
  QualityColumnType,
  QualityLabelSchema,
  QualitySchema,
} from './schema.js';
