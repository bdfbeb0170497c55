import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { monitoringTools, runChecker } from '../../support/monitoring-tools.js';

const deploy = (path: string) => fileURLToPath(new URL(`../../../deploy/${path}`, import.meta.url));
const ALERTMANAGER_YML = deploy('alertmanager/alertmanager.yml');

describe('shipped Prometheus and Alertmanager configs', () => {
  it('promtool accepts the rules and the scrape config', async () => {
    const { prometheus } = await monitoringTools();
    const rules = runChecker(prometheus.promtool, ['check', 'rules', deploy('prometheus/rules/ct-flywheel.rules.yml')]);
    expect(rules.code, rules.output).toBe(0);
    expect(rules.output).toMatch(/SUCCESS: \d+ rules found/);
    const config = runChecker(prometheus.promtool, ['check', 'config', deploy('prometheus/prometheus.yml')]);
    expect(config.code, config.output).toBe(0);
  });

  it('amtool accepts the Alertmanager config', async () => {
    const { alertmanager } = await monitoringTools();
    const r = runChecker(alertmanager.amtool, ['check-config', ALERTMANAGER_YML]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('SUCCESS');
  });

  it('routes a flywheel trigger to the webhook and still to oncall; other model alerts to oncall only', async () => {
    const { alertmanager } = await monitoringTools();
    const route = (...labels: string[]) =>
      runChecker(alertmanager.amtool, [
        'config',
        'routes',
        'test',
        `--config.file=${ALERTMANAGER_YML}`,
        ...labels,
      ]).output.trim();
    expect(route('model=fraud-sea', 'kind=performance', 'alertname=CtLiveAccuracyDrop')).toBe('ct-flywheel,oncall');
    expect(route('model=fraud-sea', 'alertname=CtGatewayErrorRate')).toBe('oncall');
    expect(route('alertname=Watchdog')).toBe('oncall');
  });
});
