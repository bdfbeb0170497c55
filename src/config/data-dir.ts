/**
 * Environment variable naming the data directory (registry/, snapshots/, serving.db,
 * train/): read by the workers and by the CLI, so both find the same files.
 */
export const DATA_DIR_ENV = 'CT_DATA_DIR';
