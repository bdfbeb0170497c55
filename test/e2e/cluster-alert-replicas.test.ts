import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driftAlertSignal, flywheelWorkflowId, MODEL_FLYWHEEL_WORKFLOW } from '../../src/contracts/model-flywheel.js';
import { CtModelId } from '../../src/domain/search-attributes.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { startCluster, stopCluster } from '../../scripts/lib/cluster/cluster.js';
import { clusterEnv, type ClusterState } from '../../scripts/lib/cluster/cluster-state.js';
import { fixtureForModel } from '../fixtures/alertmanager/refused-payloads.js';
import { waitFor } from '../workflows/helpers/wait-for.js';
import { kill } from './flywheel-helpers.js';

const FLYWHEEL_BIN = fileURLToPath(new URL('../../bin/flywheel.js', import.meta.url));
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
  let clusterDir: string;
  let dataDir: string;
  let state: ClusterState;
  let client: Client;
  let connection: Connection;
  const children: ChildProcess[] = [];
  const say = (line: string) => process.stdout.write(`[cluster e2e] ${line}\n`);

  beforeAll(async () => {
    clusterDir = mkdtempSync(join(tmpdir(), 'ct-cluster-e2e-'));
    dataDir = mkdtempSync(join(tmpdir(), 'ct-cluster-data-'));
    state = await startCluster(clusterDir, say);
    connection = await Connection.connect({ address: state.temporal.address });
    client = new Client({ connection, namespace: state.temporal.namespace });
  }, 400_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) await kill(c, 'SIGKILL');
    await connection?.close();
    if (clusterDir) await stopCluster(clusterDir, say);
    for (const d of [clusterDir, dataDir]) if (d) rmSync(d, { recursive: true, force: true });
  }, 120_000);

  /** One `flywheel gateway` process on `port`, resolved once it answers. */
  async function gateway(port: number): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(process.execPath, [FLYWHEEL_BIN, 'gateway'], {
      env: {
        ...process.env,
        ...clusterEnv(state),
        CT_DATA_DIR: dataDir,
        CT_GATEWAY_PORT: String(port),
        FLYWHEEL_WEBHOOK_TOKEN: TOKEN,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(child);
    const url = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`gateway on ${port} exited with ${child.exitCode}`);
        return (await fetch(`${url}/metrics`).catch(() => undefined))?.ok ? true : undefined;
      },
      `gateway on ${port}`,
      60_000,
    );
    return { child, url };
  }

  const postAlert = async (url: string, body: string) => {
    const res = await fetch(`${url}/v1/alerts/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body,
    });
    return { status: res.status, json: (await res.json()) as { signalled: unknown[]; duplicates: string[] } };
  };

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
    const [a, b] = await Promise.all([gateway(portA), gateway(portB)]);
    const payload = fixtureForModel(model);

    expect((await postAlert(a.url, payload)).json.signalled).toHaveLength(2);
    expect((await postAlert(b.url, payload)).json).toMatchObject({ signalled: [], duplicates: expect.any(Array) });
    await kill(b.child, 'SIGKILL');
    const restarted = await gateway(portB);
    const again = await postAlert(restarted.url, payload);
    expect(again).toMatchObject({ status: 202, json: { signalled: [] } });
    expect(again.json.duplicates).toHaveLength(2);

    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const drift = (history.events ?? []).filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === driftAlertSignal.name,
    );
    expect(drift).toHaveLength(2); // the fixture's two firing alerts, once each
    await client.workflow.getHandle(workflowId).terminate('cluster e2e done');
  });
});
