import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataType } from '../src/gen/hetsched/v1/DataType.js';
import type { Tensor } from '../src/gen/hetsched/v1/Tensor.js';
import { exampleFeeds, modelPath } from '../src/models/index.js';
import { SEARCH_REPORT_KIND, type SearchReport } from '../src/runtime/index.js';
import { protos } from '../src/server/index.js';
import { type TensorData, tensorBytes } from '../src/tensor/index.js';
import { callError, promiseClient } from './helpers/grpc.js';
import { maxAbsDiff, referenceRun } from './helpers/reference.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { MEASURING_TEST_MS } from './helpers/timeouts.js';

type PlanClient = ReturnType<
  typeof promiseClient<ReturnType<typeof protos>['grpc']['hetsched']['v1']['PlanService']['service']>
>;

/** Small budgets: these tests check the RPC, not the search's quality (bench/ does). */
const BUDGET = { rlEpisodes: 32, refineEvaluations: 120 };

describe('PlanService.Plan through a real server', () => {
  let t: TestServer;
  let profiles: string;
  let plans: PlanClient;

  beforeAll(async () => {
    profiles = await mkdtemp(join(tmpdir(), 'hetsched-plan-profiles-'));
    t = await startTestServer({ gpu: 'none', profiles });
    plans = promiseClient(protos().grpc.hetsched.v1.PlanService.service, t.address);
    await t.clients.models.RegisterModel({
      name: 'ow',
      modelBytes: await readFile(modelPath('openwakeword')),
      qos: { latencySloMs: 20, weight: 2, requestRatePerS: 40 },
    });
    await t.clients.models.RegisterModel({
      name: 'vad',
      modelBytes: await readFile(modelPath('silero-vad-legacy')),
      qos: { latencySloMs: 10, weight: 1, requestRatePerS: 100 },
    });
    // A model's first request is its sample: exact shapes to profile it with (Silero's are open).
    for (const [model, id] of [
      ['ow', 'openwakeword'],
      ['vad', 'silero-vad-legacy'],
    ] as const) {
      await t.clients.inference.Infer({ model, inputs: wireInputs(exampleFeeds(id, { seed: 1 })) });
    }
  });
  afterAll(async () => {
    plans?.close();
    await t?.dispose();
    await rm(profiles, { recursive: true, force: true });
  });

  it('refuses to plan models without a profile on this machine, saying what to do', async () => {
    const error = await callError(plans.Plan({ seed: 1, ...BUDGET }));
    expect(error.code).toBe(status.FAILED_PRECONDITION);
    expect(error.details).toMatch(/profile/i);
  });

  it('measures what is missing, plans every model, and gives the same report for the same seed', {
    timeout: MEASURING_TEST_MS,
  }, async () => {
    const first = await plans.Plan({ seed: 5, measure: true, gpuProfile: 'nvidia-h100-sxm', ...BUDGET });
    expect(first.plans.map((plan) => plan.model).sort()).toEqual(['ow', 'vad']);
    const report = JSON.parse(first.reportJson) as SearchReport;
    expect(report.kind).toBe(SEARCH_REPORT_KIND);
    expect(report.machine).toMatch(/\+nvidia-h100-sxm$/);
    const rows = report.predicted.tenants;
    expect(
      rows
        .filter((row) => !row.route?.alternate)
        .map((row) => row.name)
        .sort(),
    ).toEqual(['ow@1', 'vad@1']);
    // A tenant whose requests the search split has a second row, and its plan the alternate.
    for (const { route } of rows.filter((row) => row.route?.alternate))
      expect(report.plans[route?.tenant ?? '']?.alternate?.share).toBe(route?.share);
    expect(report.baselines.map((baseline) => baseline.name)).toEqual(
      expect.arrayContaining(['all-cpu', 'all-gpu', 'ort-rule', 'model-level', 'layer-greedy', 'random']),
    );
    // The chosen plan is the best the simulator saw, and the LP bound is above it.
    for (const baseline of report.baselines) expect(first.score).toBeGreaterThanOrEqual(baseline.score);
    expect(report.lpBound?.boundWeightedThroughputPerS).toBeGreaterThanOrEqual(first.score);
    expect(report.learningCurve.length).toBeGreaterThan(0);
    expect(report.policy?.format).toBe('hetsched-rl-mlp');

    // Byte for byte, once nothing is measured any more; the first differs only in saying it measured.
    const again = await plans.Plan({ seed: 5, gpuProfile: 'nvidia-h100-sxm', ...BUDGET });
    const third = await plans.Plan({ seed: 5, gpuProfile: 'nvidia-h100-sxm', ...BUDGET });
    expect(third.reportJson).toBe(again.reportJson);
    expect({ ...JSON.parse(again.reportJson), notes: [] }).toEqual({ ...report, notes: [] });
    expect(report.notes.join('\n')).toMatch(/measured/);
    const other = await plans.Plan({ seed: 6, gpuProfile: 'nvidia-h100-sxm', ...BUDGET });
    expect(JSON.parse(other.reportJson).seed).toBe(6);

    // A policy from one plan warm-starts the next.
    const warm = await plans.Plan({
      seed: 5,
      gpuProfile: 'nvidia-h100-sxm',
      warmStartJson: first.reportJson,
      ...BUDGET,
    });
    expect(JSON.parse(warm.reportJson).learningCurve.length).toBeGreaterThan(0);
  });

  it('applies the plans it found here, and Infer still answers correctly', async () => {
    const response = await plans.Plan({ models: [{ model: 'ow' }], seed: 2, apply: true, ...BUDGET });
    expect(response.applied).toBe(true);
    const planned = JSON.parse(response.plans[0]?.planJson ?? '');
    expect(planned.spec).toMatch(/^search:/);
    // No GPU here (and software ones are not planned on): every operator stays on the CPU.
    expect(new Set(Object.values(planned.placement))).toEqual(new Set(['cpu']));
    const active = await plans.GetPlan({ model: 'ow' });
    expect(JSON.parse(active.planJson).placement).toEqual(planned.placement);

    const feeds = exampleFeeds('openwakeword', { seed: 4 });
    const reply = await t.clients.inference.Infer({ model: 'ow', inputs: wireInputs(feeds) });
    const expected = Object.values(await referenceRun(modelPath('openwakeword'), feeds))[0]
      ?.data as Float32Array;
    const got = new Float32Array(new Uint8Array(reply.outputs[0]?.raw ?? Buffer.alloc(0)).buffer);
    expect(maxAbsDiff(got, expected)).toBeLessThanOrEqual(1e-5);
    expect(planned.kind).toBe('hetsched.plan');
  });

  it('rejects bad requests with clear statuses and keeps serving', async () => {
    const elsewhere = await callError(plans.Plan({ gpuProfile: 'nvidia-h100-sxm', apply: true, ...BUDGET }));
    expect(elsewhere.code).toBe(status.INVALID_ARGUMENT);
    expect(elsewhere.details).toMatch(/apply them there/);
    expect((await callError(plans.Plan({ models: [{ model: 'nope' }] }))).code).toBe(status.NOT_FOUND);
    const objective = await callError(plans.Plan({ objective: 'fastest' }));
    expect(objective.code).toBe(status.INVALID_ARGUMENT);
    expect(objective.details).toMatch(/throughput/);
    const twice = await callError(plans.Plan({ models: [{ model: 'ow' }, { model: 'ow', version: 1 }] }));
    expect(twice.code).toBe(status.INVALID_ARGUMENT);
    const gpu = await callError(plans.Plan({ gpuProfile: 'no-such-gpu', ...BUDGET }));
    expect(gpu.code).toBe(status.NOT_FOUND);
    const warm = await callError(plans.Plan({ warmStartJson: '{"policy": 3}', ...BUDGET }));
    expect(warm.code).toBe(status.INVALID_ARGUMENT);
    expect((await t.clients.models.ListModels({})).models).toHaveLength(2);
  });
});

function wireInputs(feeds: Record<string, TensorData>): Tensor[] {
  return Object.entries(feeds).map(([name, tensor]) => ({
    name,
    dtype: `DATA_TYPE_${tensor.dtype.toUpperCase()}` as DataType,
    shape: [...tensor.dims],
    raw: Buffer.from(tensorBytes(tensor)),
  }));
}
