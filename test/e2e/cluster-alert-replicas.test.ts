import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftAlertSignal, flywheelWorkflowId, MODEL_FLYWHEEL_WORKFLOW } from '../../src/contracts/model-flywheel.js';
import { CtModelId } from '../../src/domain/search-attributes.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { fixtureForModel } from '../fixtures/alertmanager/refused-payloads.js';
import { ClusterProcesses, postAlertmanager } from '../support/cluster-processes.js';
import { sharedCluster } from '../support/shared-cluster.js';

const TOKEN = `cluster-${randomUUID()}`;

/**
 * `npm run cluster` (Temporal server on PostgreSQL, MLflow, the serving-state database) with
 * two `flywheel gateway` replicas as processes of their own, configured from the environment
 * the cluster prints: the same Alertmanager notification POSTed to both replicas, then again
 * to a replica SIGKILLed and restarted, puts each alert's `driftAlert` in the flywheel's
 * history once. (No workers: the flywheel waits on a queue nobody polls, so its history is
 * exactly what the webhook sent.)
 */
describe('cluster: alert de-dup across gateway replicas and a restart', () => {
  let dataDir: string;
  let client: Client;
  let connection: Connection;
  let processes: ClusterProcesses;

  beforeAll(async () => {
    const state = await sharedCluster();
    dataDir = mkdtempSync(join(tmpdir(), 'ct-cluster-data-'));
    processes = new ClusterProcesses({ state, dataDir, webhookToken: TOKEN });
    connection = await Connection.connect({ address: state.temporal.address });
    client = new Client({ connection, namespace: state.temporal.namespace });
  }, 400_000);
  afterAll(async () => {
    await processes?.killAll();
    await connection?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('signals each alert of the notification once, whichever replica gets it and after a restart', async () => {
    const model = `cluster-${randomUUID().slice(0, 8)}`;
    const workflowId = flywheelWorkflowId(model);
    await client.workflow.start(MODEL_FLYWHEEL_WORKFLOW, {
      workflowId,
      taskQueue: `nobody-polls-${randomUUID().slice(0, 8)}`,
      args: [{ modelId: model }],
      typedSearchAttributes: [{ key: CtModelId, value: model }],
    });
    const [portA, portB] = [await freePort(), await freePort()];
    const [a, b] = await Promise.all([processes.gateway(portA, 'gw-a'), processes.gateway(portB, 'gw-b')]);
    const payload = fixtureForModel(model);

    // Two firing alerts (driftAlert each) and one resolved (alertResolved): three deliveries.
    expect((await postAlertmanager(a.url, TOKEN, payload)).json.signalled).toHaveLength(3);
    expect((await postAlertmanager(b.url, TOKEN, payload)).json).toMatchObject({
      signalled: [],
      duplicates: expect.any(Array),
    });
    await processes.kill(b.child);
    const restarted = await processes.gateway(portB, 'gw-b');
    const again = await postAlertmanager(restarted.url, TOKEN, payload);
    expect(again).toMatchObject({ status: 202, json: { signalled: [] } });
    expect(again.json.duplicates).toHaveLength(3);

    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const drift = (history.events ?? []).filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === driftAlertSignal.name,
    );
    expect(drift).toHaveLength(2); // the fixture's two firing alerts, once each
    await client.workflow.getHandle(workflowId).terminate('cluster e2e done');
  });
});
