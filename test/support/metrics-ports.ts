/**
 * Environment that turns off a spawned process's metrics endpoints. Their default ports are
 * fixed (9464–9467, for Prometheus to find them); test processes running side by side, or
 * beside someone's real workers, would collide on them. Tests that scrape set free ports.
 */
export const METRICS_OFF = { CT_WORKER_METRICS_PORT: 'off', CT_TEMPORAL_METRICS_PORT: 'off' } as const;
