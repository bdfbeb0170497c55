import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertWebhook, TemporalAlertSink } from '../../src/alerts/index.js';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import { flywheelSpecSource } from '../../src/workers/flywheel-spec-source.js';
import { LINEAR_MODEL_FORMAT } from '../../src/domain/model-format/linear-model.js';
import type { ModelSpec } from '../../src/domain/model-spec/model-spec.js';
import { RolloutPolicySchema } from '../../src/domain/policies/rollout-policy.js';
import { routingTableSchema } from '../../src/domain/records/routing.js';
import { startProductionMonitor } from '../../src/monitor/start-monitor.js';
import { createGateway } from '../../src/serving/index.js';
import * as flywheelContract from '../../src/contracts/model-flywheel.js';
import {
  findingsQuery,
  monitorWorkflowId,
  PRODUCTION_MONITOR_WORKFLOW,
} from '../../src/contracts/production-monitor.js';
import {
  checkModelNowSignal,
  FLEET_MONITOR_WORKFLOW,
  fleetShardStatusQuery,
  modelMonitorQuery,
  updateModelMonitorSignal,
} from '../../src/contracts/fleet-monitor.js';
import {
  abortRolloutSignal,
  promoteNowSignal,
  ROLLOUT_WORKFLOW,
  rolloutStatusQuery,
} from '../../src/contracts/rollout.js';
import { SCHEDULED_RETRAIN_WORKFLOW } from '../../src/contracts/scheduled-retrain.js';
import {
  approveSignal,
  approveUpdate,
  cycleStatusQuery,
  cycleWorkflowId,
  rejectSignal,
  rejectUpdate,
  TRAINING_CYCLE_WORKFLOW,
} from '../../src/contracts/training-cycle.js';
import { fixtureForModel } from '../fixtures/alertmanager/refused-payloads.js';
import { withQuietStderr } from '../support/captured-logs.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { sampleLineage } from '../support/sample-lineage.js';
import { uniqueId } from '../support/smoke-worker.js';
import { bundleWorkflows } from '../workflows/helpers/bundle.js';
import { Harness } from '../workflows/helpers/harness.js';
import { waitFor } from '../workflows/helpers/wait-for.js';
import { FuzzValues } from './fuzz/fuzz-values.js';
import { httpRefusalProblem, saysWhatIsWrong } from './fuzz/refusals.js';

const { EventType, WorkflowTaskFailedCause } = temporal.api.enums.v1;
/** Server-side reasons a task is failed and simply retried, with no fault in the workflow code. */
const SCHEDULING_CAUSES = new Set<number>([
  WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
  WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_UPDATE,
]);
const { MODEL_FLYWHEEL_WORKFLOW, flywheelWorkflowId, statusQuery, retrainRequestedSignal } = flywheelContract;
/** The corpus is the same on every run: change the seed to explore, keep it to reproduce. */
const SEED = 16_2026;
const ANA = 'ana@example.com';
const TOKEN = `fuzz-${randomUUID()}`;

/** Runs `fn` over `items` in parallel batches (the dev server's SQLite store is single-connection). */
async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

/**
 * Issue #16, deliverable 7: a seeded corpus of hostile inputs against every way into the
 * system — start inputs, every signal (the internal cycle reports too), every update and
 * query of every workflow, the gateway's and the alert webhook's endpoints — on the dev
 * server with real workers, registry and serving state. Afterwards: no workflow task failed
 * anywhere, every workflow still answers and takes a valid retrain, at most one production
 * version per model, routing valid, and every refusal says what is wrong.
 */
describe('fuzz corpus (dev server, real workers, gateway and webhook)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let h: Harness;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    [env, bundle] = await Promise.all([devServerEnv(), bundleWorkflows()]);
    h = new Harness(env, bundle);
    app = createGateway(
      {
        registry: h.registry,
        routing: h.serving,
        predictionLog: h.serving,
        loadFailures: h.serving,
        specs: flywheelSpecSource(h.flywheels()),
      },
      { processMetrics: false },
    );
    await app.register(alertWebhook, { sink: new TemporalAlertSink(h.flywheels()), auth: { bearerToken: TOKEN } });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    if (env && h) {
      for await (const wf of env.client.workflow.list({
        query: `TaskQueue = "${h.taskQueue}" AND ExecutionStatus = "Running"`,
      })) {
        await env.client.workflow
          .getHandle(wf.workflowId, wf.runId)
          .terminate('fuzz corpus done')
          .catch(() => undefined);
      }
    }
    await app?.close();
    await h?.close();
    await env?.teardown();
  });

  it('≥ 300 hostile inputs leave no failed workflow task, answering workflows, one production version and valid routing; every refusal says why', async () => {
    const fuzz = new FuzzValues(SEED);
    const counts: Record<string, number> = {};
    const count = (target: string) => void (counts[target] = (counts[target] ?? 0) + 1);
    /** Problems per assertion, reported together at the end. */
    const problems = {
      vagueRefusals: [] as string[],
      serverErrors: [] as string[],
      acceptedInvalid: [] as string[],
      unanswered: [] as string[],
      retrainNotAccepted: [] as string[],
    };
    /** Refusals whose wording was checked, per kind: the corpus must really reach them. */
    const refusals = { http: 0, updates: 0, recordedSignals: 0, failedStarts: 0 };
    const client = env.client;

    // Every dropped payload logs a warning on purpose: hundreds of lines that say nothing new.
    await withQuietStderr(() =>
      h.run(async () => {
        // ── Subjects: a flywheel with cycle 1 waiting for approval, an idle one, a canary rollout, a monitor.
        const modelA = uniqueId('fz-a').toLowerCase();
        const modelB = uniqueId('fz-b').toLowerCase();
        const modelR = uniqueId('fz-r').toLowerCase();
        const specA = h.spec(modelA, {
          approval: { mode: 'manual', approvers: [ANA], timeoutMs: '1h' },
          rollout: { strategy: 'direct' },
          trigger: { debounceMs: 0, cooldownMs: 0 },
        });
        const specB = h.spec(modelB, { trigger: { debounceMs: '1h', cooldownMs: '1h' } });
        const specR = h.spec(modelR);
        await Promise.all([h.seedChampion(specA), h.seedChampion(specB), h.seedChampion(specR)]);
        const candidateR = await registerCandidate(h, specR);
        const flywheelA = await h.flywheels().start(specA);
        const flywheelB = await h.flywheels().start(specB);
        await flywheelA.signal(retrainRequestedSignal.definition, {
          requestedBy: 'fuzz-setup',
          reason: 'cycle to fuzz',
        });
        const cycleIdA = cycleWorkflowId(modelA, 1);
        const cycleA = client.workflow.getHandle(cycleIdA);
        const rolloutR = await client.workflow.start(ROLLOUT_WORKFLOW, {
          taskQueue: h.taskQueue,
          workflowId: `${uniqueId('fz-rollout')}:rollout`,
          args: [
            {
              modelId: modelR,
              candidateVersion: candidateR,
              championVersion: 1,
              policy: RolloutPolicySchema.parse({
                strategy: 'canary',
                steps: [
                  { weight: 10, bakeMs: '1h' },
                  { weight: 100, bakeMs: '1h' },
                ],
              }),
            },
          ],
        });
        const monitor = await startProductionMonitor(h.flywheels(), specA, { intervalMs: '1h' });
        const monitorHandle = client.workflow.getHandle(monitor.workflowId);
        await waitFor(
          async () => (await cycleA.query(cycleStatusQuery.definition)).approval.pending,
          'cycle 1 of A waiting for approval',
          120_000,
        );
        // Registry and serving state are checked after every phase, not only at the end.
        const integrity = new IntegrityChecks(h);
        await integrity.check('before the corpus');

        // ── 1. Signals of the flywheel, internal cycle reports included, against both flywheels.
        const forgedRun = [`${randomUUID()}`, 'forged-run', '', (await flywheelA.describe()).runId];
        const flywheelSignals: Array<[{ name: string }, unknown]> = [
          [
            flywheelContract.driftAlertSignal,
            {
              score: 0.5,
              severity: 'warning',
              reason: 'fuzz',
              features: ['f1'],
              source: 'fuzz',
              fingerprint: 'fp-1',
              at: new Date().toISOString(),
            },
          ],
          [flywheelContract.newDataSignal, { rows: 100, score: 100, reason: 'fuzz' }],
          [flywheelContract.performanceReportSignal, { score: 0.05, metric: 'accuracy', value: 0.8, baseline: 0.85 }],
          [flywheelContract.retrainRequestedSignal, { requestedBy: 'fuzz@example.com', reason: 'fuzz', force: false }],
          [flywheelContract.alertResolvedSignal, { fingerprint: 'fp-1', source: 'fuzz', at: new Date().toISOString() }],
          [flywheelContract.pauseSignal, { by: 'fuzz', reason: 'fuzz' }],
          [flywheelContract.resumeSignal, { by: 'fuzz' }],
          [flywheelContract.updatePolicySignal, { by: 'fuzz', reason: 'fuzz', trigger: { debounceMs: '1h' } }],
          [
            flywheelContract.cycleProgressSignal,
            {
              workflowId: cycleIdA,
              runId: fuzz.pick(forgedRun),
              cycle: 1,
              step: 'train',
              championVersion: 999,
              candidateVersion: 999,
            },
          ],
          [
            flywheelContract.cycleFinishedSignal,
            {
              workflowId: cycleIdA,
              runId: fuzz.pick(forgedRun),
              cycle: 1,
              outcome: 'promoted',
              reason: 'forged',
              trigger: 'manual',
              startedAt: 0,
              endedAt: 1,
              candidateVersion: 999,
            },
          ],
        ];
        // Sent raw through the handle, not the client: the corpus is what the client would refuse.
        const { name: cycleFinished } = flywheelContract.cycleFinishedSignal;
        const { name: cycleProgress } = flywheelContract.cycleProgressSignal;
        const signalInputs: Array<{ handle: WorkflowHandle; name: string; payload: unknown }> = [];
        for (const handle of [flywheelA, flywheelB]) {
          for (const [{ name }, valid] of flywheelSignals) {
            for (let i = 0; i < 8; i++) signalInputs.push({ handle, name, payload: fuzz.input(valid) });
          }
          // Forged ids on an otherwise perfect report: another cycle, another run, the flywheel itself.
          for (const forged of [
            { cycle: 2, workflowId: cycleWorkflowId(modelA, 2) },
            { workflowId: handle.workflowId },
            { runId: forgedRun[0] },
            { workflowId: cycleWorkflowId('other-model', 1) },
          ]) {
            signalInputs.push({
              handle,
              name: cycleFinished,
              payload: { ...(flywheelSignals[8]![1] as object), ...forged },
            });
            signalInputs.push({
              handle,
              name: cycleProgress,
              payload: { ...(flywheelSignals[7]![1] as object), ...forged },
            });
          }
          signalInputs.push(
            { handle, name: cycleFinished, payload: null },
            { handle, name: cycleProgress, payload: null },
            { handle, name: cycleFinished, payload: 'garbage' },
            { handle, name: cycleProgress, payload: {} },
          );
        }
        await inBatches(signalInputs, 24, async ({ handle, name, payload }) => {
          count(`flywheel signal ${name}`);
          await handle.signal(name, payload);
        });

        await integrity.check('before phase 2');
        // ── 2. The flywheel's updatePolicy update: refused with the field named, or applied.
        await inBatches(
          Array.from({ length: 15 }, () =>
            fuzz.input({
              by: 'fuzz',
              reason: 'fuzz',
              trigger: { debounceMs: '1h', cooldownMs: '2h' },
              approval: { mode: 'auto' },
            }),
          ),
          5,
          async (payload) => {
            count('flywheel update updatePolicy');
            if (
              await refusalOf(
                flywheelB.executeUpdate(flywheelContract.updatePolicyUpdate.definition, { args: [payload as never] }),
                'updatePolicy',
                problems,
              )
            )
              refusals.updates++;
          },
        );

        await integrity.check('before phase 3');
        // ── 3. The cycle's approve/reject, as updates and as signal twins (never from an approver).
        const approval = { cycleId: cycleIdA, by: 'mallory@example.com', comment: 'fuzz' };
        await inBatches(
          Array.from({ length: 6 }, () => fuzz.input(approval)),
          6,
          async (payload) => {
            for (const update of [approveUpdate.definition, rejectUpdate.definition]) {
              count(`cycle update ${update.name}`);
              if (
                await refusalOf(
                  cycleA.executeUpdate(update, { args: [payload as never] }),
                  `cycle ${update.name}`,
                  problems,
                  { mustRefuse: true },
                )
              )
                refusals.updates++;
            }
            for (const signal of [approveSignal.definition, rejectSignal.definition]) {
              count(`cycle signal ${signal.name}`);
              await cycleA.signal(signal, payload as never);
            }
          },
        );

        await integrity.check('before phase 4');
        // ── 4. The monitor's signals (model A's fleet-monitor shard) and the rollout's.
        await inBatches(
          Array.from({ length: 10 }, () =>
            fuzz.input({
              modelId: specA.id,
              settings: { intervalMs: '2h', minDriftRows: 300 },
              floors: { drift: 0.3, performance: 0.02 },
            }),
          ),
          10,
          async (payload) => {
            count('monitor signal updateModelMonitor');
            await monitorHandle.signal(updateModelMonitorSignal.definition, payload as never);
          },
        );
        for (let i = 0; i < 3; i++) {
          count('monitor signal checkModelNow');
          await monitorHandle.signal(checkModelNowSignal.name, fuzz.junk());
        }
        await inBatches(
          Array.from({ length: 8 }, () => fuzz.input({ by: 'fuzz', reason: 'fuzz' })),
          8,
          async (payload) => {
            for (const signal of [abortRolloutSignal.definition, promoteNowSignal.definition]) {
              count(`rollout signal ${signal.name}`);
              await rolloutR.signal(signal, payload as never);
            }
          },
        );

        await integrity.check('before phase 5');
        // ── 5. Queries with arguments nobody expects.
        const queries: Array<[string, () => Promise<unknown>]> = [];
        for (let i = 0; i < 3; i++) {
          const junk = fuzz.junk();
          queries.push(['flywheel status', () => flywheelA.query(statusQuery.name, junk)]);
          queries.push(['cycle status', () => cycleA.query(cycleStatusQuery.name, junk)]);
          queries.push(['rollout status', () => rolloutR.query(rolloutStatusQuery.name, junk)]);
          queries.push(['monitor model status', () => monitorHandle.query(modelMonitorQuery.name, junk)]);
          queries.push(['monitor shard status', () => monitorHandle.query(fleetShardStatusQuery.name, junk)]);
        }
        await inBatches(queries, 12, async ([name, run]) => {
          count(`query ${name}`);
          // One retry: on a busy machine a query can time out without anything being wrong.
          await run()
            .catch(run)
            .catch((err: unknown) => problems.unanswered.push(`${name} with junk arguments: ${String(err)}`));
        });

        await integrity.check('before phase 6');
        // ── 6. Start inputs of every workflow type.
        const trigger = {
          kinds: ['manual'],
          primary: 'manual',
          count: 1,
          firstAt: Date.now(),
          lastAt: Date.now(),
          maxScore: {},
          force: false,
          samples: [],
        };
        const starts: Array<[string, (i: number) => string, unknown]> = [
          [
            MODEL_FLYWHEEL_WORKFLOW,
            (i) => flywheelWorkflowId(`fz-start-${i}-${randomUUID().slice(0, 6)}`),
            { modelId: 'fz-start', spec: specB },
          ],
          [
            TRAINING_CYCLE_WORKFLOW,
            (i) => `fz-cycle-start-${i}-${randomUUID().slice(0, 6)}`,
            { modelId: 'fz-cycle', cycle: 1, spec: { ...specA, id: 'fz-cycle' }, trigger },
          ],
          [
            ROLLOUT_WORKFLOW,
            (i) => `fz-rollout-start-${i}-${randomUUID().slice(0, 6)}`,
            { modelId: modelR, candidateVersion: 99, championVersion: 1, policy: { strategy: 'direct' } },
          ],
          [
            PRODUCTION_MONITOR_WORKFLOW,
            (i) => monitorWorkflowId(`fz-monitor-${i}-${randomUUID().slice(0, 6)}`),
            { modelId: 'fz-monitor', floors: { drift: 0.3, performance: 0.02 }, settings: { intervalMs: '1h' } },
          ],
          [
            SCHEDULED_RETRAIN_WORKFLOW,
            (i) => `fz-scheduled-${i}-${randomUUID().slice(0, 6)}`,
            { modelId: modelB, scheduleId: 'fz-schedule' },
          ],
        ];
        const startInputs = starts.flatMap(([type, id, valid]) =>
          Array.from({ length: type === MODEL_FLYWHEEL_WORKFLOW ? 12 : 8 }, (_, i) => ({
            type,
            workflowId: id(i),
            input: fuzz.input(valid),
          })),
        );
        await inBatches(startInputs, 10, async ({ type, workflowId, input }) => {
          count(`start ${type}`);
          await client.workflow.start(type, { taskQueue: h.taskQueue, workflowId, args: [input] });
        });

        await integrity.check('before phase 7');
        // ── 7. The gateway and the alert webhook over HTTP.
        const predictPath = (model: string) => `/v1/models/${encodeURIComponent(model)}/predict`;
        const first = await post(base, predictPath(modelA), { features: { f1: 1, f2: 2, f3: 3 } });
        const requestId = (JSON.parse(first.text) as { requestId?: string }).requestId ?? 'no-request-id';
        const forgedModel = () =>
          fuzz.pick([
            modelA,
            modelA,
            modelA,
            'no-such-model',
            fuzz.oddString() || 'x',
            'x'.repeat(3_000),
            `${modelA}/../${modelB}`,
          ]);
        const am = JSON.parse(fixtureForModel(modelB)) as unknown;
        const http: Array<{
          target: string;
          path: string;
          body: string | unknown;
          auth?: boolean | string;
          mayAnswer?: (body: unknown) => boolean;
        }> = [
          // Forged credentials: refused before the body is read, saying what to send instead.
          ...['', 'Bearer', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, `bearer  ${fuzz.oddString()}`, 'x'.repeat(4_000)].map(
            (authorization) => ({
              target: 'webhook auth',
              path: '/v1/alerts',
              body: { model: modelB, kind: 'drift' },
              auth: authorization.replace(/[^\x20-\x7e]/g, '?'), // header values are bytes
              mayAnswer: () => false,
            }),
          ),
          ...Array.from({ length: 40 }, () => {
            const model = forgedModel();
            return {
              target: 'gateway predict',
              path: predictPath(model),
              body: fuzz.input({ features: { f1: 1, f2: 2, f3: 3 } }),
              mayAnswer: (b: unknown) => model === modelA && validFeatures(b),
            };
          }),
          ...Array.from({ length: 30 }, () => {
            const model = forgedModel();
            return {
              target: 'gateway feedback',
              path: `/v1/models/${encodeURIComponent(model)}/feedback`,
              body: fuzz.input({ requestId, label: 1 }),
              mayAnswer: (b: unknown) => model === modelA && validLabel(b),
            };
          }),
          ...Array.from({ length: 20 }, () => ({
            target: 'webhook alerts',
            path: '/v1/alerts',
            body: fuzz.input({
              model: modelB,
              kind: 'drift',
              score: 0.5,
              reason: 'fuzz',
              source: 'fuzz',
              dedupKey: 'k',
            }),
            auth: true,
          })),
          ...Array.from({ length: 15 }, () => ({
            target: 'webhook alertmanager',
            path: '/v1/alerts/alertmanager',
            body: fuzz.input(am),
            auth: true,
          })),
          ...['', '{', 'null', '[]', '{"features":', '\u0000'].map((raw) => ({
            target: 'gateway raw body',
            path: predictPath(modelA),
            body: raw,
          })),
          // Numbers JSON.stringify cannot write: 1e999 parses to Infinity.
          ...['{"features":{"f1":1e999,"f2":2,"f3":3}}', '{"features":{"f1":-1e999,"f2":2,"f3":3}}'].map((raw) => ({
            target: 'gateway raw body',
            path: predictPath(modelA),
            body: raw,
            mayAnswer: () => false,
          })),
          {
            target: 'gateway raw body',
            path: `/v1/models/${modelA}/feedback`,
            body: `{"requestId":${JSON.stringify(requestId)},"label":1e999}`,
            mayAnswer: () => false,
          },
          ...['', '{', 'null'].map((raw) => ({
            target: 'webhook raw body',
            path: '/v1/alerts',
            body: raw,
            auth: true,
          })),
        ];
        await inBatches(http, 16, async ({ target, path, body, auth, mayAnswer }) => {
          count(`http ${target}`);
          const res = await post(
            base,
            path,
            body,
            auth === true
              ? { authorization: `Bearer ${TOKEN}` }
              : typeof auth === 'string'
                ? { authorization: auth }
                : {},
          );
          if (res.status < 300 && mayAnswer && !mayAnswer(body))
            problems.acceptedInvalid.push(
              `${target} ${path.slice(0, 80)} answered ${res.status} to ${JSON.stringify(body)?.slice(0, 200)}`,
            );
          if (res.status >= 500)
            problems.serverErrors.push(`${target} ${path.slice(0, 80)} → ${res.status} ${res.text.slice(0, 200)}`);
          else if (res.status >= 400) {
            refusals.http++;
            const why = httpRefusalProblem(res.status, res.text);
            if (why) problems.vagueRefusals.push(`${target}: ${why}`);
          }
        });

        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        process.stdout.write(
          `[fuzz corpus] seed ${SEED}: ${total} inputs\n${Object.entries(counts)
            .map(([k, v]) => `  ${k}: ${v}`)
            .join('\n')}\n`,
        );
        expect(total).toBeGreaterThanOrEqual(300);

        await integrity.check('after the corpus');
        // ── Afterwards: every workflow this test reached.
        const executions = await listExecutions(env, h.taskQueue, [
          flywheelA.workflowId,
          flywheelB.workflowId,
          cycleIdA,
          rolloutR.workflowId,
          monitor.workflowId,
        ]);
        for (const { workflowId, type } of executions) {
          const handle = client.workflow.getHandle(workflowId);
          const running = (await handle.describe()).status.name === 'RUNNING';
          const query = {
            [MODEL_FLYWHEEL_WORKFLOW]: statusQuery.name,
            [TRAINING_CYCLE_WORKFLOW]: cycleStatusQuery.name,
            [ROLLOUT_WORKFLOW]: rolloutStatusQuery.name,
            [PRODUCTION_MONITOR_WORKFLOW]: findingsQuery.name,
            [FLEET_MONITOR_WORKFLOW]: fleetShardStatusQuery.name,
          }[type];
          // A query is answered after the signals before it were handled, so this also waits for them.
          if (query && running) {
            const why = await unansweredQuery(handle, query);
            if (why) problems.unanswered.push(`${workflowId} (${type}) ${query}: ${why}`);
          }
          if (type === MODEL_FLYWHEEL_WORKFLOW && running) await checkRetrainAccepted(handle, problems);
        }
        const failedTasks: string[] = [];
        await inBatches(executions, 10, async ({ workflowId, type }) => {
          const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
          // A task the server fails because a signal or update arrived while the worker was
          // completing it (UNHANDLED_COMMAND/UPDATE) is Temporal's scheduling, not our code
          // failing on an input: the worker simply runs a new task. Anything else counts.
          const failed = (events ?? []).filter(
            (e) =>
              e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED &&
              !SCHEDULING_CAUSES.has(e.workflowTaskFailedEventAttributes?.cause ?? 0),
          );
          if (failed.length > 0) {
            const first = failed[0]!.workflowTaskFailedEventAttributes;
            failedTasks.push(
              `${workflowId} (${type}): ${failed.length} × WorkflowTaskFailed, first: cause ${String(first?.cause)}, ${first?.failure?.message ?? 'no message'}`,
            );
          }
          // A start input a workflow cannot run with ends it with a failure: that is its refusal.
          const end = (events ?? []).find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
          if (end) {
            refusals.failedStarts++;
            const message = end.workflowExecutionFailedEventAttributes?.failure?.message;
            if (!saysWhatIsWrong(message))
              problems.vagueRefusals.push(`${workflowId} (${type}) failed with "${String(message)}"`);
          }
        });

        // Signals cannot answer: their refusals are the records in the flywheels' status.
        for (const handle of [flywheelA, flywheelB]) {
          const status = await handle.query(statusQuery.definition).catch(() => undefined);
          for (const r of status?.rejectedInputs.recent ?? []) {
            refusals.recordedSignals++;
            if (!saysWhatIsWrong(r.error))
              problems.vagueRefusals.push(`${handle.workflowId} recorded a rejected ${r.input} as "${r.error}"`);
          }
        }
        // F1 in the corpus: forged reports never end cycle 1 of A or let a second cycle start.
        const statusA = await flywheelA.query(statusQuery.definition).catch(() => undefined);
        const oneCycle = { inFlight: statusA?.inFlight?.cycle ?? null, cyclesStarted: statusA?.cyclesStarted ?? null };

        // A's cycle 1 still takes a valid approval and promotes: one production version after it too.
        const outcomeA = await cycleA
          .executeUpdate(approveUpdate.definition, {
            args: [{ cycleId: cycleIdA, by: ANA, comment: 'after the corpus' }],
          })
          .then(async () => ((await cycleA.result()) as CycleReport).outcome)
          .catch((err: unknown) => `approval failed: ${String(err)}`);
        await integrity.check('after a valid approval of A');

        expect.soft(failedTasks, 'workflow tasks failed').toEqual([]);
        expect.soft(problems.unanswered, 'workflows that did not answer their query').toEqual([]);
        expect.soft(problems.retrainNotAccepted, 'flywheels that did not take a valid retrain afterwards').toEqual([]);
        expect.soft(oneCycle, 'flywheel A still runs exactly its cycle 1').toEqual({ inFlight: 1, cyclesStarted: 1 });
        expect.soft(outcomeA, 'cycle 1 of A after a valid approval').toBe('promoted');
        expect.soft(integrity.registry, 'more than one production version').toEqual([]);
        expect.soft(integrity.routing, 'invalid routing').toEqual([]);
        expect.soft(problems.serverErrors, 'HTTP 5xx on hostile input').toEqual([]);
        expect.soft(problems.acceptedInvalid, 'HTTP answers to what should be refused').toEqual([]);
        expect.soft(problems.vagueRefusals, 'refusals that do not say what is wrong').toEqual([]);
        process.stdout.write(`[fuzz corpus] refusals checked: ${JSON.stringify(refusals)}\n`);
        // The corpus must reach the refusals it checks, or the wording checks above prove nothing.
        expect
          .soft(
            Object.values(refusals).every((n) => n >= 5),
            `each kind of refusal reached: ${JSON.stringify(refusals)}`,
          )
          .toBe(true);
      }),
    );
  }, 300_000);
});

/** At most one production version per model and valid routing, checked whenever asked; problems are kept per check. */
class IntegrityChecks {
  readonly registry: string[] = [];
  readonly routing: string[] = [];
  constructor(private readonly h: Harness) {}

  async check(when: string): Promise<void> {
    for (const model of await this.h.registry.listModels()) {
      const production = (await this.h.registry.listVersions(model))
        .filter((v) => v.stage === 'production')
        .map((v) => v.version);
      if (production.length > 1)
        this.registry.push(`${when}: ${model} has versions ${production.join(', ')} in production`);
    }
    for (const table of await this.h.serving.listRouting()) {
      const parsed = routingTableSchema.safeParse(table);
      const versions = new Set(
        (await this.h.registry.listVersions(table.modelId).catch(() => [])).map((v) => v.version),
      );
      const named = [table.championVersion, table.canary?.version, table.shadowVersion].filter(
        (v): v is number => v !== undefined,
      );
      if (!parsed.success) this.routing.push(`${when}: ${table.modelId}: ${parsed.error.message}`);
      if (table.canary && table.canary.version === table.championVersion)
        this.routing.push(`${when}: ${table.modelId}: the canary is the champion`);
      for (const v of named)
        if (!versions.has(v)) this.routing.push(`${when}: ${table.modelId} routes to v${v}, which is not registered`);
    }
  }
}

/**
 * What the gateway may answer for model A (the test spec: f1..f3 numeric in [0, 10],
 * required, out-of-range refused): an object of features, each a finite number in range.
 */
function validFeatures(body: unknown): boolean {
  const features = (body as { features?: unknown } | null)?.features;
  if (typeof features !== 'object' || features === null || Array.isArray(features)) return false;
  return ['f1', 'f2', 'f3'].every((f) => {
    const v = (features as Record<string, unknown>)[f];
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 10;
  });
}

/** A binary classifier's label: 0 or 1 (or true/false), for a request id given as a string. */
function validLabel(body: unknown): boolean {
  const b = body as { requestId?: unknown; label?: unknown } | null;
  return typeof b?.requestId === 'string' && [0, 1, true, false].includes(b.label as number | boolean);
}

/** A second version of the spec's model (weights not all zero), registered as a candidate. */
async function registerCandidate(h: Harness, spec: ModelSpec): Promise<number> {
  const model = {
    format: LINEAR_MODEL_FORMAT,
    task: spec.task,
    label: spec.label.name,
    features: spec.features.map((f, i) => ({
      name: f.name,
      kind: 'numeric',
      mean: 5,
      std: 3,
      weight: i === 0 ? 1 : 0,
    })),
    intercept: 0,
    metadata: { note: 'fuzz candidate' },
  };
  const art = await h.registry.putArtifact(new TextEncoder().encode(JSON.stringify(model)));
  const { version } = await h.registry.registerVersion({
    modelId: spec.id,
    cycleId: 'fuzz-candidate',
    artifactSha256: art.sha256,
    lineage: sampleLineage(),
  });
  return version.version;
}

/**
 * Runs an update; a refusal must say what is wrong. With `mustRefuse`, an accepted update is
 * a problem too. Resolves to whether the update was refused.
 */
async function refusalOf(
  update: Promise<unknown>,
  what: string,
  problems: { vagueRefusals: string[] },
  opts: { mustRefuse?: boolean } = {},
): Promise<boolean> {
  try {
    await update;
    if (opts.mustRefuse) problems.vagueRefusals.push(`${what} was accepted from a non-approver`);
    return false;
  } catch (err) {
    const message =
      err instanceof WorkflowUpdateFailedError ? (err.cause as Error | undefined)?.message : (err as Error).message;
    if (!saysWhatIsWrong(message)) problems.vagueRefusals.push(`${what} refused with "${String(message)}"`);
    return true;
  }
}

/**
 * Why a running workflow does not answer `query`, or undefined when it does. A workflow
 * refused at start can still look running until its first task runs on a busy worker; when
 * it has ended meanwhile, its end is judged with the histories instead. A slow answer gets
 * two more tries.
 */
async function unansweredQuery(handle: WorkflowHandle, query: string): Promise<string | undefined> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await handle.query(query);
      return undefined;
    } catch (err) {
      last = err;
      if ((await handle.describe()).status.name !== 'RUNNING') return undefined;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  return String(last);
}

/** A valid retrain is received by the trigger policy (counted), not recorded as rejected input. */
async function checkRetrainAccepted(handle: WorkflowHandle, problems: { retrainNotAccepted: string[] }): Promise<void> {
  try {
    const before = await handle.query(flywheelContract.statusQuery.definition);
    await handle.signal(flywheelContract.retrainRequestedSignal.definition, {
      requestedBy: 'after-fuzz@example.com',
      reason: 'valid retrain after the corpus',
    });
    await waitFor(
      async () =>
        (await handle.query(flywheelContract.statusQuery.definition)).triggerCounts.received >
        before.triggerCounts.received,
      `${handle.workflowId} to count the retrain`,
      20_000,
    );
    const after = await handle.query(flywheelContract.statusQuery.definition);
    if (after.rejectedInputs.count !== before.rejectedInputs.count)
      problems.retrainNotAccepted.push(
        `${handle.workflowId} rejected a valid retrain: ${after.rejectedInputs.recent.at(-1)?.error}`,
      );
  } catch (err) {
    problems.retrainNotAccepted.push(`${handle.workflowId}: ${String(err)}`);
  }
}

/** Every execution on the test's task queue (visibility), plus the ones named, with their type. */
async function listExecutions(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  known: string[],
): Promise<Array<{ workflowId: string; type: string }>> {
  const seen = new Map<string, { workflowId: string; type: string }>();
  for await (const wf of env.client.workflow.list({ query: `TaskQueue = "${taskQueue}"` }))
    seen.set(wf.workflowId, { workflowId: wf.workflowId, type: wf.type });
  for (const id of known.filter((k) => !seen.has(k)))
    seen.set(id, { workflowId: id, type: (await env.client.workflow.getHandle(id).describe()).type });
  return [...seen.values()];
}

/** POSTs a JSON value (or a raw string as is) and returns the status and body text. */
async function post(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}
