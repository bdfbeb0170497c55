import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertWebhook } from '../../src/alerts/alert-webhook.js';
import { signRequest } from '../../src/alerts/request-signature.js';
import { TemporalAlertSink } from '../../src/alerts/temporal-alert-sink.js';
import { CtModelId } from '../../src/domain/search-attributes.js';
import {
  alertResolvedSignal,
  driftAlertSignal,
  flywheelWorkflowId,
  MODEL_FLYWHEEL_WORKFLOW,
} from '../../src/contracts/model-flywheel.js';
import { fixtureForModel, refusedPayloads } from '../fixtures/alertmanager/refused-payloads.js';
import { devServerEnv } from '../support/dev-server-env.js';

const TOKEN = `token-${randomUUID()}`;
const SECRET = `secret-${randomUUID()}`;
const modelId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * The webhook against the real dev server: a valid alert signals the running
 * `flywheel:<model>` (no flywheel worker here: we read what Temporal recorded); an alert for
 * a model with no flywheel, and refused payloads, leave no workflow behind unless the
 * operator opted in to alerts starting flywheels.
 */
describe('alert webhook → Temporal (dev server)', () => {
  let env: TestWorkflowEnvironment;
  let app: FastifyInstance;
  let base: string;
  const started: string[] = [];
  // A queue no worker polls: the flywheel stays scheduled and its history is just what we sent.
  const taskQueue = `alerts-e2e-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    env = await devServerEnv();
    app = Fastify();
    await app.register(alertWebhook, {
      sink: new TemporalAlertSink(new FlywheelClient(env.client, { taskQueue })),
      auth: { bearerToken: TOKEN, hmacSecret: SECRET },
    });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    for (const id of started)
      await env.client.workflow
        .getHandle(id)
        .terminate('alerts e2e test done')
        .catch(() => undefined);
    await app?.close();
    await env?.teardown();
  });

  const post = async (path: string, body: string, headers: Record<string, string>) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  async function signals(workflowId: string) {
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).flatMap((e) => {
      const a = e.workflowExecutionSignaledEventAttributes;
      return a
        ? [
            {
              name: a.signalName,
              payload: defaultPayloadConverter.fromPayload<Record<string, unknown>>(a.input!.payloads![0]!),
            },
          ]
        : [];
    });
  }

  /** A flywheel that is running (on a queue no worker polls) before any alert arrives. */
  async function runningFlywheel(model: string): Promise<string> {
    const workflowId = flywheelWorkflowId(model);
    started.push(workflowId);
    await env.client.workflow.start(MODEL_FLYWHEEL_WORKFLOW, {
      workflowId,
      taskQueue,
      args: [{ modelId: model }],
      typedSearchAttributes: [{ key: CtModelId, value: model }],
    });
    return workflowId;
  }

  it('turns a recorded Alertmanager v4 payload into driftAlert signals on the running flywheel', async () => {
    const model = modelId('churn');
    const workflowId = await runningFlywheel(model);
    const res = await post('/v1/alerts/alertmanager', fixtureForModel(model), { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(202);

    const description = await env.client.workflow.getHandle(workflowId).describe();
    expect(description.type).toBe(MODEL_FLYWHEEL_WORKFLOW);
    expect(description.status.name).toBe('RUNNING');
    expect(description.typedSearchAttributes.get(CtModelId)).toBe(model);
    expect(await signals(workflowId)).toEqual([
      {
        name: driftAlertSignal.name,
        payload: expect.objectContaining({
          kind: 'drift',
          score: 0.31,
          fingerprint: '5f2b9c0e7d1a4c33',
          severity: 'warning',
          source: 'alertmanager:ModelFeatureDrift',
        }),
      },
      {
        name: driftAlertSignal.name,
        payload: expect.objectContaining({ score: 0.27, fingerprint: 'a90c31d4e8b2f617' }),
      },
      // The fixture's third alert is resolved: it retracts what its firing episode left pending.
      {
        name: alertResolvedSignal.name,
        payload: expect.objectContaining({ fingerprint: '0d77e5a1c2b94f08', source: 'alertmanager:ModelFeatureDrift' }),
      },
    ]);

    // A second, HMAC-signed generic alert reaches the same running flywheel (no second run);
    // the same signed request captured and sent again is refused and signals nothing.
    const body = JSON.stringify({ model, kind: 'retrain', reason: 'quarterly refresh', source: 'ops' });
    const signed = { ...signRequest(SECRET, body) };
    expect((await post('/v1/alerts', body, signed)).status).toBe(202);
    const replay = await post('/v1/alerts', body, signed);
    expect(replay).toEqual({
      status: 401,
      json: { error: 'unauthorized', message: expect.stringMatching(/^replayed request/) },
    });
    const names = (await signals(workflowId)).map((s) => s.name);
    expect(names).toEqual(['driftAlert', 'driftAlert', 'alertResolved', 'retrainRequested']);
    expect((await env.client.workflow.getHandle(workflowId).describe()).runId).toBe(description.runId);
  });

  it('signals the good alerts of a notification and rejects the bad ones alone: a typo model starts no flywheel', async () => {
    const model = modelId('fraud-sea');
    const workflowId = await runningFlywheel(model);
    const am = JSON.parse(fixtureForModel(model)) as {
      alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string> }>;
    };
    // A third firing alert: performance with only a severity.
    am.alerts.push({ ...structuredClone(am.alerts[0]!), fingerprint: 'perf-critical-1' } as (typeof am.alerts)[number]);
    const [typo, valued, , perf] = am.alerts;
    typo!.labels.model = 'fraud-sae';
    delete valued!.annotations.score;
    valued!.annotations.value = '0.41';
    perf!.labels = { ...perf!.labels, kind: 'performance', severity: 'critical' };
    delete perf!.annotations.score;

    const res = await post('/v1/alerts/alertmanager', JSON.stringify(am), { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(202);
    expect(res.json.rejected).toEqual([
      {
        index: 0,
        fingerprint: '5f2b9c0e7d1a4c33',
        modelId: 'fraud-sae',
        field: 'alerts[0].labels.model',
        reason: expect.stringContaining(
          'no running flywheel flywheel:fraud-sae: check the model id, or start it with `flywheel start <spec.yaml>`',
        ),
      },
    ]);
    expect(res.json.signalled).toEqual([
      expect.objectContaining({ modelId: model, signal: 'driftAlert', score: 0.41 }),
      expect.objectContaining({ modelId: model, signal: 'alertResolved', fingerprint: '0d77e5a1c2b94f08' }),
      expect.objectContaining({
        modelId: model,
        signal: 'performanceReport',
        score: 0,
        held: expect.stringContaining('held to the floor'),
      }),
    ]);
    await expect(env.client.workflow.getHandle(flywheelWorkflowId('fraud-sae')).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
    expect(await signals(workflowId)).toEqual([
      {
        name: driftAlertSignal.name,
        payload: expect.objectContaining({ score: 0.41, fingerprint: 'a90c31d4e8b2f617' }),
      },
      { name: alertResolvedSignal.name, payload: expect.objectContaining({ fingerprint: '0d77e5a1c2b94f08' }) },
      { name: 'performanceReport', payload: expect.objectContaining({ score: 0, fingerprint: 'perf-critical-1' }) },
    ]);

    // The plain route follows the same rule, with one status for its one alert.
    const generic = await post('/v1/alerts', JSON.stringify({ model: 'fraud-sae', kind: 'retrain' }), {
      authorization: `Bearer ${TOKEN}`,
    });
    expect(generic).toMatchObject({
      status: 404,
      json: { error: 'no_flywheel', message: expect.stringContaining('flywheel start') },
    });
    await expect(env.client.workflow.getHandle(flywheelWorkflowId('fraud-sae')).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  });

  it('starts a flywheel for an alert when the operator opted in (startFlywheels)', async () => {
    const optedIn = Fastify();
    await optedIn.register(alertWebhook, {
      sink: new TemporalAlertSink(new FlywheelClient(env.client, { taskQueue }), { startFlywheels: true }),
      auth: { bearerToken: TOKEN },
    });
    const url = await optedIn.listen({ host: '127.0.0.1', port: 0 });
    try {
      const model = modelId('opted-in');
      started.push(flywheelWorkflowId(model));
      const res = await fetch(`${url}/v1/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ model, kind: 'retrain' }),
      });
      expect(res.status).toBe(202);
      expect((await env.client.workflow.getHandle(flywheelWorkflowId(model)).describe()).status.name).toBe('RUNNING');
      expect((await signals(flywheelWorkflowId(model))).map((s) => s.name)).toEqual(['retrainRequested']);
    } finally {
      await optedIn.close();
    }
  });

  it('refuses 23 malformed, unsigned, stale or tampered payloads with the right status, and no flywheel is started', async () => {
    const model = modelId('refused');
    const cases = refusedPayloads({ token: TOKEN, secret: SECRET }, model);
    expect(cases).toHaveLength(23);
    const statuses = [];
    for (const c of cases) statuses.push({ name: c.name, status: (await post(c.path, c.body, c.headers)).status });
    expect(statuses).toEqual(cases.map((c) => ({ name: c.name, status: c.status })));
    await expect(env.client.workflow.getHandle(flywheelWorkflowId(model)).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  });
});
