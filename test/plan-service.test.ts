import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InferRequest } from '../src/gen/hetsched/v1/InferRequest.js';
import { exampleFeeds, modelPath } from '../src/models/index.js';
import { tensorBytes } from '../src/tensor/index.js';
import { callError } from './helpers/grpc.js';
import { maxAbsDiff, referenceRun } from './helpers/reference.js';
import { startTestServer, type TestServer } from './helpers/server.js';

describe('PlanService and placements through a real server', () => {
  let t: TestServer;
  let request: InferRequest;
  let expected: Float32Array;

  beforeAll(async () => {
    t = await startTestServer();
    await t.clients.models.RegisterModel({ name: 'cls', modelBytes: await readFile(modelPath('ppocr-cls')) });
    const feeds = exampleFeeds('ppocr-cls', { seed: 2 });
    const x = feeds.x;
    if (!x) throw new Error('no feed');
    request = {
      model: 'cls',
      inputs: [
        { name: 'x', dtype: 'DATA_TYPE_FLOAT32', shape: [...x.dims], raw: Buffer.from(tensorBytes(x)) },
      ],
    };
    expected = (await referenceRun(modelPath('ppocr-cls'), feeds))['softmax_0.tmp_0']?.data as Float32Array;
    // The first request is the model's sample: exact shapes for explain.
    await t.clients.inference.Infer(request);
  });
  afterAll(async () => {
    await t.dispose();
  });

  const outputOf = (response: { outputs: { raw?: Buffer }[] }) =>
    new Float32Array(new Uint8Array(response.outputs[0]?.raw ?? Buffer.alloc(0)).buffer);

  it('runs one request with its own placement, split into CPU segments, with the same outputs', async () => {
    const response = await t.clients.inference.Infer({ ...request, placement: 'random:5@cpu,cpu:1' });
    expect(response.timing?.segments).toBeGreaterThan(10);
    expect(maxAbsDiff(outputOf(response), expected)).toBeLessThanOrEqual(1e-5);
  });

  it('explains a placement: segments, FLOPs, boundary bytes, DOT and SVG', async () => {
    const explained = await t.clients.plans.Explain({
      model: 'cls',
      spec: 'chunks:4',
      includeDot: true,
      includeSvg: true,
    });
    const plan = JSON.parse(explained.planJson) as {
      kind: string;
      segments: unknown[];
      boundaries: { bytes: number }[];
    };
    expect(plan.kind).toBe('hetsched.plan');
    expect(explained.summary).toMatchObject({
      spec: 'chunks:4',
      segmentCount: plan.segments.length,
      shapesExact: true,
    });
    expect(explained.segments).toHaveLength(plan.segments.length);
    const operators = explained.segments.reduce((total, segment) => total + segment.operatorCount, 0);
    expect(operators).toBe(221);
    expect(
      explained.segments.every((segment) => segment.flops > 0 && segment.processor.startsWith('cpu')),
    ).toBe(true);
    expect(Number(explained.summary?.boundaryBytes)).toBe(
      plan.boundaries.reduce((total, boundary) => total + boundary.bytes, 0),
    );
    expect(explained.dot).toMatch(/^digraph/);
    expect(explained.svg).toContain('<svg');
  });

  it('applies a plan with an alternate, splits requests between them, and keeps both across a restart', async () => {
    // chunks:4 for the requests, chunks:2 for every other one.
    const planOf = async (spec: string) =>
      JSON.parse((await t.clients.plans.Explain({ model: 'cls', spec })).planJson) as Record<string, unknown>;
    const split = {
      ...(await planOf('chunks:4')),
      alternate: { share: 0.5, plan: await planOf('chunks:2') },
    };
    const applied = await t.clients.plans.ApplyPlan({ model: 'cls', planJson: JSON.stringify(split) });
    const segments = applied.summary?.segmentCount ?? 0;
    expect(segments).toBe(4);
    expect(applied.summary?.alternateShare).toBe(0.5);
    expect(applied.summary).toMatchObject({ alternateSpec: 'chunks:2', alternateSegmentCount: 2 });
    expect(JSON.parse(applied.planJson)).toEqual(split);
    const stored = join(t.repository, 'cls', '1', 'plan.json');
    expect(JSON.parse(await readFile(stored, 'utf8'))).toEqual(split);
    // Every other request runs the alternate, from the second on; the outputs are the model's.
    const responses = [await t.clients.inference.Infer(request), await t.clients.inference.Infer(request)];
    expect(responses.map((response) => response.timing?.segments)).toEqual([4, 2]);
    expect(responses.map((response) => response.timing?.alternate)).toEqual([false, true]);
    for (const response of responses)
      expect(maxAbsDiff(outputOf(response), expected)).toBeLessThanOrEqual(1e-5);

    await t.stop();
    t = await startTestServer({ repository: t.repository });
    // Stored plans are re-applied in the background once the model is analysed.
    let got = await t.clients.plans.GetPlan({ model: 'cls' });
    for (let tries = 0; !got.applied && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      got = await t.clients.plans.GetPlan({ model: 'cls' });
    }
    expect(got.applied).toBe(true);
    // Same decisions (boundary sizes are derived, and known only once a request has run).
    type Decided = {
      placement: unknown;
      segments: unknown;
      pinned: unknown;
      alternate?: { share: number; plan: Decided };
    };
    const decisions = ({ placement, segments, pinned, alternate }: Decided): Decided => ({
      placement,
      segments,
      pinned,
      ...(alternate && { alternate: { share: alternate.share, plan: decisions(alternate.plan) } }),
    });
    expect(decisions(JSON.parse(got.planJson))).toEqual(decisions(JSON.parse(applied.planJson)));
    expect(got.summary?.alternateShare).toBe(0.5);
    const again = [await t.clients.inference.Infer(request), await t.clients.inference.Infer(request)];
    expect(again.map((response) => response.timing?.segments)).toEqual([segments, 2]);
    expect(again.map((response) => response.timing?.alternate)).toEqual([false, true]);

    // all-cpu takes the plan back: the model runs whole, and the stored plan is gone.
    await t.clients.plans.ApplyPlan({ model: 'cls', spec: 'all-cpu' });
    expect((await t.clients.plans.GetPlan({ model: 'cls' })).applied).toBe(false);
    expect(existsSync(join(t.repository, 'cls', '1', 'plan.json'))).toBe(false);
    expect((await t.clients.inference.Infer(request)).timing).toMatchObject({
      segments: 1,
      alternate: false,
    });
  });

  it('reads back and explains a plan with an alternate, and refuses a bad one without losing the applied plan', async () => {
    const planOf = async (spec: string) =>
      JSON.parse((await t.clients.plans.Explain({ model: 'cls', spec })).planJson) as Record<string, unknown>;
    const whole = await planOf('all-cpu');
    const lanes = await planOf('random:9@cpu,cpu:1');
    const split = { ...whole, alternate: { share: 1 / 16, plan: lanes } };
    await t.clients.plans.ApplyPlan({ model: 'cls', planJson: JSON.stringify(split) });
    // Its main placement runs the model whole, yet the plan is applied: its alternate is what it changes.
    const got = await t.clients.plans.GetPlan({ model: 'cls' });
    expect(got.applied).toBe(true);
    expect(JSON.parse(got.planJson)).toEqual(split);
    expect(got.summary).toMatchObject({ segmentCount: 1, alternateShare: 1 / 16 });
    const laneSegments = (lanes.segments as unknown[]).length;
    expect(got.summary).toMatchObject({
      alternateSpec: 'random:9@cpu,cpu:1',
      alternateSegmentCount: laneSegments,
    });
    const explained = await t.clients.plans.Explain({
      model: 'cls',
      planJson: JSON.stringify(split),
      includeDot: true,
      includeSvg: true,
    });
    expect(explained.segments).toHaveLength(1);
    expect(explained.alternateSegments.map((segment) => segment.processor)).toEqual(
      (lanes.segments as { processor: string }[]).map((segment) => segment.processor),
    );
    // Each route drawn on its own: the plan's one segment, and the alternate's, titled with its share.
    const clusters = (dot: string) => [...dot.matchAll(/subgraph cluster_\d+ \{/g)].length;
    expect(clusters(explained.dot)).toBe(1);
    expect(explained.dot).not.toContain('cpu:1');
    expect(explained.alternateDot).toMatch(/^digraph plan \{/);
    expect(explained.alternateDot).toContain(
      'cls: alternate, for 6.25% of the requests: plan random:9@cpu,cpu:1',
    );
    expect(clusters(explained.alternateDot)).toBe(laneSegments);
    expect(explained.alternateDot).toContain('cpu:1');
    expect(explained.alternateSvg).toContain('<svg');
    expect(explained.alternateSvg).not.toBe(explained.svg);
    // Only what was asked for is drawn.
    const dotOnly = await t.clients.plans.Explain({
      model: 'cls',
      planJson: JSON.stringify(split),
      includeDot: true,
    });
    expect(dotOnly.alternateDot).toBe(explained.alternateDot);
    expect(dotOnly.alternateSvg).toBe('');
    // Without an alternate, none is reported or drawn.
    const plain = await t.clients.plans.Explain({
      model: 'cls',
      spec: 'chunks:2',
      includeDot: true,
      includeSvg: true,
    });
    expect(plain.summary?.alternateShare).toBe(0);
    expect(plain.summary).toMatchObject({ alternateSpec: '', alternateSegmentCount: 0 });
    expect(plain.alternateSegments).toEqual([]);
    expect(plain.dot).toMatch(/^digraph/);
    expect([plain.alternateDot, plain.alternateSvg]).toEqual(['', '']);

    for (const [alternate, message] of [
      [
        { share: 1, plan: lanes },
        'alternate.share: the share of requests the alternate runs must be above 0 and below 1, got 1',
      ],
      [{ share: 0, plan: lanes }, 'got 0'],
      [{ share: '1/16', plan: lanes }, 'alternate.share: Invalid input: expected number, received string'],
      [{ share: 0.5, plan: split }, 'an alternate plan cannot have an alternate of its own'],
      [
        { share: 0.5, plan: whole },
        'the alternate places every operator (and thread budget) as the plan does',
      ],
    ] as const) {
      const error = await callError(
        t.clients.plans.ApplyPlan({ model: 'cls', planJson: JSON.stringify({ ...whole, alternate }) }),
      );
      expect(error.code).toBe(status.INVALID_ARGUMENT);
      expect(error.details).toContain(message);
    }
    // The server still serves, with the plan it had: the first 15 requests run whole, the 16th split.
    expect(JSON.parse((await t.clients.plans.GetPlan({ model: 'cls' })).planJson)).toEqual(split);
    const timings = [];
    for (let index = 0; index < 16; index++) timings.push((await t.clients.inference.Infer(request)).timing);
    expect(timings.map((timing) => timing?.segments)).toEqual([...Array<number>(15).fill(1), laneSegments]);
    expect(timings.map((timing) => timing?.alternate)).toEqual([...Array<boolean>(15).fill(false), true]);
    await t.clients.plans.ApplyPlan({ model: 'cls', spec: 'all-cpu' });
    expect((await t.clients.plans.GetPlan({ model: 'cls' })).applied).toBe(false);
  });

  it('applies a plan given as JSON, as GetPlan and Explain return it', async () => {
    const explained = await t.clients.plans.Explain({ model: 'cls', spec: 'random:9@cpu,cpu:1' });
    const applied = await t.clients.plans.ApplyPlan({ model: 'cls', planJson: explained.planJson });
    expect(JSON.parse(applied.planJson)).toEqual(JSON.parse(explained.planJson));
    await t.clients.plans.ApplyPlan({ model: 'cls', spec: 'all-cpu' });
  });

  it('applies a plan with a thread budget on a CPU lane: same outputs, and the budget kept', async () => {
    const explained = JSON.parse(
      (await t.clients.plans.Explain({ model: 'cls', spec: 'random:9@cpu,cpu:1' })).planJson,
    ) as { segments: { processor: string }[] };
    const budgeted = { ...explained, threads: { 'cpu:1': 2 } };
    delete (budgeted as { segments?: unknown }).segments;
    const applied = JSON.parse(
      (await t.clients.plans.ApplyPlan({ model: 'cls', planJson: JSON.stringify(budgeted) })).planJson,
    ) as { threads: Record<string, number>; segments: { processor: string; threads?: number }[] };
    expect(applied.threads).toEqual({ 'cpu:1': 2 });
    const lanes = applied.segments.filter((segment) => segment.processor === 'cpu:1');
    expect(lanes.length).toBeGreaterThan(0);
    expect(lanes.every((segment) => segment.threads === 2)).toBe(true);
    expect(
      applied.segments.filter((segment) => segment.processor === 'cpu').every((s) => s.threads === undefined),
    ).toBe(true);
    const summaries = (await t.clients.plans.Explain({ model: 'cls', planJson: JSON.stringify(budgeted) }))
      .segments;
    expect(summaries.map((segment) => segment.threads)).toEqual(
      applied.segments.map((segment) => segment.threads ?? 0),
    );
    const response = await t.clients.inference.Infer(request);
    expect(response.timing?.segments).toBe(applied.segments.length);
    expect(maxAbsDiff(outputOf(response), expected)).toBeLessThanOrEqual(1e-5);
    // A budget on a lane the plan does not use is refused, and the applied plan stays.
    const error = await callError(
      t.clients.plans.ApplyPlan({
        model: 'cls',
        planJson: JSON.stringify({ ...budgeted, threads: { 'cpu:7': 2 } }),
      }),
    );
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toContain("threads: no operator is placed on 'cpu:7'");
    expect(JSON.parse((await t.clients.plans.GetPlan({ model: 'cls' })).planJson).threads).toEqual({
      'cpu:1': 2,
    });
    await t.clients.plans.ApplyPlan({ model: 'cls', spec: 'all-cpu' });
  });

  it.each([
    [
      'an unknown model',
      { model: 'nope', spec: 'all-cpu' },
      status.NOT_FOUND,
      "model 'nope' is not registered",
    ],
    [
      'a malformed spec',
      { model: 'cls', spec: 'gpu-please' },
      status.INVALID_ARGUMENT,
      "placement 'gpu-please' is not one of",
    ],
    [
      'a plan that is not JSON',
      { model: 'cls', planJson: '{nope' },
      status.INVALID_ARGUMENT,
      'plan_json is not JSON',
    ],
    [
      'a plan of another kind',
      { model: 'cls', planJson: '{"kind":"x"}' },
      status.INVALID_ARGUMENT,
      'not a valid hetsched.plan v1',
    ],
    [
      'a plan for another model',
      {
        model: 'cls',
        planJson: JSON.stringify({
          kind: 'hetsched.plan',
          version: 1,
          model: { sha256: 'ab', inputShapes: {} },
          placement: {},
        }),
      },
      status.INVALID_ARGUMENT,
      'not this one',
    ],
  ])('rejects %s', async (_, body, code, message) => {
    const error = await callError(t.clients.plans.ApplyPlan(body));
    expect(error.code).toBe(code);
    expect(error.details).toContain(message);
  });

  it('rejects a plan that leaves operators unplaced or places unknown ones', async () => {
    const plan = JSON.parse((await t.clients.plans.Explain({ model: 'cls', spec: 'all-cpu' })).planJson) as {
      placement: Record<string, string>;
    };
    const [first] = Object.keys(plan.placement);
    const missing = { ...plan, placement: { ...plan.placement } };
    if (first) delete missing.placement[first];
    expect(
      (await callError(t.clients.plans.ApplyPlan({ model: 'cls', planJson: JSON.stringify(missing) })))
        .details,
    ).toContain('does not place 1 operator');
    const unknown = { ...plan, placement: { ...plan.placement, ghost: 'cpu' } };
    expect(
      (await callError(t.clients.plans.ApplyPlan({ model: 'cls', planJson: JSON.stringify(unknown) })))
        .details,
    ).toContain('ghost');
    const badProcessor = { ...plan, placement: { ...plan.placement, [first ?? '']: 'tpu:0' } };
    expect(
      (await callError(t.clients.plans.ApplyPlan({ model: 'cls', planJson: JSON.stringify(badProcessor) })))
        .code,
    ).toBe(status.INVALID_ARGUMENT);
  });
});
