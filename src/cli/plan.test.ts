import { describe, expect, it } from 'vitest';
import { buildGraph } from '../graph/index.js';
import { decodeModel } from '../onnx/index.js';
import { makePlan, type Placement } from '../partition/index.js';
import { synthModel } from '../synth/index.js';
import { whereSegmentsRun } from './plan.js';

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
