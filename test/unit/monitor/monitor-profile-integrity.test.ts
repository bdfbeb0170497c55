import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MonitorFinding } from '../../../src/domain/monitor/monitor-finding.js';
import { useLocalActivities } from '../../support/local-activity-deps.js';
import { seaSpec } from '../../support/lifecycle-fixtures.js';
import { inspectionInput } from '../../support/monitor-inspection.js';
import {
  expectProfileIntegrityFailure,
  failureOf,
  registerOnSnapshot,
  registerWithoutProfileSha,
  tamperProfile,
} from '../../support/profile-fixtures.js';

const local = useLocalActivities('monitor-profile-');
beforeEach(() => {
  logs = [];
});

const spec = seaSpec({ dataSource: { kind: 'synthetic', generator: { name: 'sea' }, rowsPerWindow: 400 } });
let logs: LogEntry[];
// Inside an activity context, as a worker runs it (the activity logs through the context's logger).
const check = (): Promise<MonitorFinding> =>
  new MockActivityEnvironment(undefined, { logger: new DefaultLogger('INFO', (entry) => logs.push(entry)) }).run(
    local.acts.inspectProduction,
    inspectionInput(spec.id),
  ) as Promise<MonitorFinding>;

describe("the monitor reads the champion's reference profile only as registered", () => {
  it('refuses a tampered profile with a non-retryable failure naming the version and both hashes', async () => {
    const { version, snapshot } = await registerOnSnapshot(
      local.acts,
      local.deps.registry,
      spec,
      'flywheel:sea:cycle:1',
      1,
    );
    await local.deps.servingState.setRouting(spec.id, { championVersion: version });
    expect((await check()).drift?.status).not.toBe('noReference');

    const tampered = await tamperProfile(snapshot);
    expectProfileIntegrityFailure(await failureOf(check()), `${spec.id} v${version}`, tampered);
  });

  it('still reads the profile of a version registered before profiles were hashed', async () => {
    const { snapshot } = await registerOnSnapshot(local.acts, local.deps.registry, spec, 'flywheel:sea:cycle:1', 1);
    await tamperProfile(snapshot); // bytes no record vouches for: an old record cannot tell
    const legacy = await registerWithoutProfileSha(local.deps.registry, spec.id, 'legacy-cycle', snapshot);
    await local.deps.servingState.setRouting(spec.id, { championVersion: legacy });
    const finding = await check();
    expect(finding.championVersion).toBe(legacy);
    expect(finding.drift?.status).not.toBe('noReference');
    await check();
    // Said once per version, not at every check.
    expect(logs.filter((e) => e.message.includes('no profile sha256'))).toHaveLength(1);
  });
});
