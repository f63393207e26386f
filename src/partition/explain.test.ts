import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { buildGraph, type GraphIR } from '../graph/index.js';
import { decodeModel } from '../onnx/index.js';
import { synthModel } from '../synth/index.js';
import { explainPlan, formatExplanation } from './explain.js';
import { pinToCpu } from './pins.js';
import { expandPlacement } from './placement-spec.js';
import { makePlan, type Plan } from './plan.js';

const graph = buildGraph(decodeModel(synthModel({ kind: 'branches', operators: 30, seed: 1 }).bytes));
const META = { sha256: 'synthetic', inputShapes: {} };

function randomPlan(seed: number): Plan {
  return makePlan(graph, expandPlacement(graph, { kind: 'random', seed }), [], {
    ...META,
    spec: `random:${seed}`,
  });
}

/** The random placement with every GPU operator pinned back: as planned on a machine without a GPU. */
function pinnedPlan(seed: number): Plan {
  const wanted = expandPlacement(graph, { kind: 'random', seed });
  const { placement, pinned } = pinToCpu(
    graph,
    wanted,
    new Map([['gpu:0', { available: false, detail: 'no GPU here', nodes: new Map() }]]),
  );
  return makePlan(graph, placement, pinned, { ...META, spec: `random:${seed}` });
}

describe('explainPlan', () => {
  const plan = randomPlan(7);
  const explanation = explainPlan(graph, plan);

  it('accounts for every operator exactly once, with its type and FLOPs', () => {
    expect(plan.segments.length).toBeGreaterThan(2);
    expect(explanation.segments.map((segment) => segment.id)).toEqual(
      plan.segments.map((segment) => segment.id),
    );
    expect(explanation.segments.reduce((total, segment) => total + segment.operatorCount, 0)).toBe(
      graph.ops.length,
    );
    const flops = explanation.segments.reduce((total, segment) => total + (segment.flops ?? Number.NaN), 0);
    expect(flops).toBe(graph.ops.reduce((total, op) => total + (op.flops ?? Number.NaN), 0));
    for (const [index, segment] of explanation.segments.entries()) {
      const ops = (plan.segments[index]?.ops ?? []).map((id) => graph.ops.find((op) => op.id === id));
      expect(segment.processor).toBe(plan.segments[index]?.processor);
      expect(segment.operatorTypes.reduce((total, type) => total + type.count, 0)).toBe(
        segment.operatorCount,
      );
      for (const { opType, count } of segment.operatorTypes)
        expect(ops.filter((op) => op?.opType === opType)).toHaveLength(count);
      // Most frequent first, ties by name.
      const sorted = [...segment.operatorTypes].sort(
        // Code-unit order, as the implementation promises (not the locale's).
        (a, b) => b.count - a.count || (a.opType < b.opType ? -1 : a.opType > b.opType ? 1 : 0),
      );
      expect(segment.operatorTypes).toEqual(sorted);
    }
  });

  it('sums the boundary tensors in and out of each segment and of the plan', () => {
    const bytes = (name: string) => graph.tensors[name]?.bytes ?? Number.NaN;
    for (const [index, segment] of explanation.segments.entries()) {
      const planned = plan.segments[index];
      expect(segment.bytesIn).toBe((planned?.inputs ?? []).reduce((total, name) => total + bytes(name), 0));
      expect(segment.bytesOut).toBe((planned?.outputs ?? []).reduce((total, name) => total + bytes(name), 0));
    }
    expect(explanation.boundaryCount).toBe(plan.boundaries.length);
    expect(explanation.boundaryBytes).toBe(
      plan.boundaries.reduce((total, boundary) => total + (boundary.bytes ?? Number.NaN), 0),
    );
    // Every byte a segment reads crossed a boundary: per-segment inputs add up to each boundary
    // counted once per reading segment.
    expect(explanation.segments.reduce((total, segment) => total + (segment.bytesIn ?? 0), 0)).toBe(
      plan.boundaries.reduce((total, boundary) => total + (boundary.bytes ?? 0) * boundary.to.length, 0),
    );
    expect(explanation.shapesExact).toBe(graph.shapesFromRun);
    expect(explanation.spec).toBe('random:7');
  });

  it('reports an unknown size or FLOP count as null, not as a partial sum', () => {
    const boundary = plan.boundaries.find((candidate) => candidate.from !== null);
    const producer = boundary && graph.tensors[boundary.tensor];
    if (!boundary || !producer) throw new Error('the plan has no boundary between segments');
    const op = graph.ops[producer.producer ?? -1];
    const unknown: GraphIR = {
      ...graph,
      ops: graph.ops.map((candidate) => (candidate === op ? { ...candidate, flops: null } : candidate)),
      tensors: { ...graph.tensors, [boundary.tensor]: { ...producer, bytes: null } },
    };
    const blurred = explainPlan(
      unknown,
      makePlan(unknown, plan.placement, [], { ...META, spec: 'explicit' }),
    );
    expect(blurred.boundaryBytes).toBeNull();
    expect(blurred.segments[boundary.from ?? -1]?.bytesOut).toBeNull();
    expect(blurred.segments[boundary.from ?? -1]?.flops).toBeNull();
    for (const to of boundary.to) expect(blurred.segments[to]?.bytesIn).toBeNull();
    expect(formatExplanation(blurred)).toMatch(/^total .* \?/m);
  });

  it('lists the pinned operators with their reasons', () => {
    const plan = pinnedPlan(7);
    const explanation = explainPlan(graph, plan);
    expect(plan.pinned.length).toBeGreaterThan(0);
    expect(explanation.pinned).toEqual(plan.pinned);
    expect(explanation.segments.every((segment) => segment.processor === 'cpu')).toBe(true);
    const text = formatExplanation(explanation);
    expect(text).toContain(`pinned to cpu: ${plan.pinned.length} operator(s)`);
    expect(text).toContain(`no-gpu (wanted gpu:0, runs on cpu; ${plan.pinned.length}): no GPU here`);
    for (const pin of plan.pinned) expect(text).toContain(pin.op);
  });

  it('rejects a plan for another graph', () => {
    const foreign: Plan = {
      ...plan,
      segments: [{ id: 0, processor: 'cpu', ops: ['nope'], inputs: [], outputs: [] }],
    };
    expect(() => explainPlan(graph, foreign)).toThrow(
      new HetschedError(
        Code.InvalidArgument,
        "the plan names operator 'nope', which the graph does not have",
      ),
    );
  });
});

describe('formatExplanation', () => {
  it('prints a header, one line per segment, a totals line and the pins', () => {
    const plan = randomPlan(11);
    const text = formatExplanation(explainPlan(graph, plan));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^plan random:11: ${plan.segments.length} segment\\(s\\) .*${plan.boundaries.length} boundary`,
      ),
    );
    expect(lines[1]).toMatch(/^\s*seg\s+processor\s+ops\s+GFLOPs\s+KiB in\s+KiB out\s+operator types$/);
    for (const [index, segment] of plan.segments.entries())
      expect(lines[2 + index]).toMatch(
        new RegExp(`^\\s*${segment.id}\\s+${segment.processor}\\s+${segment.ops.length}\\s`),
      );
    expect(lines[2 + plan.segments.length]).toMatch(new RegExp(`^total\\s+${graph.ops.length}\\s`));
    expect(lines.at(-1)).toBe('pinned to cpu: none');
  });
});

describe('explainPlan with thread budgets', () => {
  it('gives each segment of a budgeted lane its threads, and prints them beside the lane', () => {
    const wanted = expandPlacement(graph, { kind: 'random', seed: 4, processors: ['cpu', 'cpu:1'] });
    const plan = makePlan(graph, wanted, [], {
      ...META,
      spec: 'random:4@cpu,cpu:1',
      threads: { 'cpu:1': 2 },
    });
    const explanation = explainPlan(graph, plan);
    expect(explanation.segments.map((segment) => segment.threads)).toEqual(
      plan.segments.map((segment) => (segment.processor === 'cpu:1' ? 2 : undefined)),
    );
    const rows = formatExplanation(explanation).split('\n');
    const budgeted = rows.filter((row) => /^\s*\d+\s+cpu:1 x2\s/.test(row));
    expect(budgeted).toHaveLength(plan.segments.filter((segment) => segment.processor === 'cpu:1').length);
    expect(rows.some((row) => /^\s*\d+\s+cpu\s/.test(row))).toBe(true);
  });
});
