import { spawnSync } from 'node:child_process';
import { ensureAlertmanager } from '../../scripts/lib/alertmanager-tool.js';
import { ensurePrometheus } from '../../scripts/lib/prometheus-tool.js';

/** Prometheus/promtool and Alertmanager/amtool as `npm run provision` left them in the cache. */
export const monitoringTools = async () => ({
  prometheus: await ensurePrometheus(),
  alertmanager: await ensureAlertmanager(),
});

/** Runs a checker (promtool, amtool) to completion: exit code and combined output, stdin optional. */
export function runChecker(command: string, args: string[], input?: string): { code: number | null; output: string } {
  const r = spawnSync(command, args, { input, encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}
