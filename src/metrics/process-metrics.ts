import { collectDefaultMetrics, type Registry } from 'prom-client';

/**
 * prom-client's default gauges that end in `_total`, which `promtool check metrics` refuses
 * ("non-counter metrics should not have _total suffix"). Each is the sum of the gauge of the
 * same name without the suffix, split by `type` (`nodejs_active_handles{type="Socket"}` …),
 * so dropping it loses nothing: `sum(nodejs_active_handles)` is the total.
 */
const TOTAL_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * The standard process and Node.js metrics under their standard, unprefixed names
 * (`process_cpu_seconds_total`, `process_resident_memory_bytes`, `nodejs_heap_size_used_bytes`,
 * …), so stock dashboards and rules work; the job/instance labels tell processes apart.
 */
export function registerProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of TOTAL_GAUGES) registry.removeSingleMetric(name);
}
