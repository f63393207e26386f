import { describe, expect, it } from 'vitest';
import { buildGraph } from '../graph/index.js';
import { decodeModel } from '../onnx/index.js';
import { makePlan, type Placement } from '../partition/index.js';
import { synthModel } from '../synth/index.js';
import { tenantLine, whereSegmentsRun } from './plan.js';

const graph = buildGraph(decodeModel(synthModel({ kind: 'chain', operators: 6, seed: 1 }).bytes));
const META = { sha256: 'x', inputShapes: {}, spec: 'explicit' };
const place = (processors: readonly string[]): Placement =>
  Object.fromEntries(graph.ops.map((op, i) => [op.id, processors[i] ?? 'cpu'])) as Placement;

describe('whereSegmentsRun (the plan summary of hetsched plan)', () => {
  it('counts GPU segments only, not CPU lanes, and the segments with a thread budget', () => {
    const lanes = place(['cpu', 'cpu', 'cpu:1', 'cpu:1', 'gpu:0', 'cpu:2']);
    expect(whereSegmentsRun(makePlan(graph, lanes, [], META))).toBe('1 on the GPU');
    const budgeted = makePlan(graph, lanes, [], { ...META, threads: { 'cpu:1': 2, 'cpu:2': 4 } });
    expect(whereSegmentsRun(budgeted)).toBe('1 on the GPU, 2 with a thread budget of 2/4 threads');
    expect(
      whereSegmentsRun(makePlan(graph, place(['cpu:1']), [], { ...META, threads: { 'cpu:1': 2 } })),
    ).toBe('0 on the GPU, 1 with a thread budget of 2 threads');
  });
});

describe('tenantLine (a tenant of the summary of hetsched plan)', () => {
  const row = {
    name: 'vad',
    segments: 1,
    offeredPerS: 93.75,
    throughputPerS: 93.75,
    meanLatencyMs: 1,
    p50LatencyMs: 0.9,
    p99LatencyMs: 2.5,
    sloAttainment: 1,
    unloadedLatencyMs: 0.5,
  };
  const alternate = makePlan(graph, place(Array(6).fill('gpu:0')), [], META);
  const plans = {
    vad: makePlan(graph, place([]), [], { ...META, alternate: { share: 0.0625, plan: alternate } }),
  };

  it("names each route's placement and the share of the requests it runs", () => {
    const main = tenantLine({ ...row, route: { tenant: 'vad', alternate: false, share: 0.9375 } }, plans);
    expect(main).toBe(
      'vad: 1 segments (0 on the GPU, 93.8% of its requests), 93.8 req/s, p50 0.90 ms, p99 2.50 ms, SLO met 100.0%',
    );
    const other = tenantLine(
      { ...row, name: 'vad#alternate', route: { tenant: 'vad', alternate: true, share: 0.0625 } },
      plans,
    );
    expect(other).toMatch(/^vad#alternate: 1 segments \(1 on the GPU, 6\.25% of its requests\)/);
  });

  it('gives a tenant that is not split its plan alone', () => {
    expect(tenantLine(row, plans)).toMatch(/^vad: 1 segments \(0 on the GPU\), 93\.8 req\/s/);
    expect(tenantLine({ ...row, name: 'gone' }, plans)).toMatch(/\(no plan\)/);
  });
});
