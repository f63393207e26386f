import { describe, expect, it } from 'vitest';
import { buildGraph } from '../graph/index.js';
import { decodeModel } from '../onnx/index.js';
import { makePlan } from '../partition/index.js';
import { budgetSide, ON_CPU, ON_GPU } from '../search/index.js';
import { synthModel } from '../synth/index.js';
import { chosenPlan, placementOf } from './plan-workload.js';

const graph = buildGraph(decodeModel(synthModel({ kind: 'chain', operators: 6, seed: 1 }).bytes));

describe('placementOf', () => {
  it('places each side: the GPU, the CPU, and each thread budget on a lane of its own with its threads', () => {
    const sides = Uint8Array.from([ON_CPU, ON_CPU, budgetSide(0), budgetSide(0), ON_GPU, budgetSide(1)]);
    const budgets = [
      { threads: 2, slots: 2 },
      { threads: 4, slots: 4 },
    ];
    const { placement, threads } = placementOf(graph, sides, budgets);
    expect(graph.ops.map((op) => placement[op.id])).toEqual([
      'cpu',
      'cpu',
      'cpu:1',
      'cpu:1',
      'gpu:0',
      'cpu:2',
    ]);
    expect(threads).toEqual({ 'cpu:1': 2, 'cpu:2': 4 });
    // A plan the runtime runs: each lane's segments carry its threads.
    const plan = makePlan(graph, placement, [], { sha256: 'x', inputShapes: {}, spec: 'search', threads });
    expect(plan.segments.map((segment) => [segment.processor, segment.threads])).toEqual([
      ['cpu', undefined],
      ['cpu:1', 2],
      ['gpu:0', undefined],
      ['cpu:2', 4],
    ]);
  });

  it('refuses a side that is no budget of the machine', () => {
    const sides = new Uint8Array(graph.ops.length).fill(budgetSide(1));
    expect(() => placementOf(graph, sides, [{ threads: 2, slots: 2 }])).toThrow(/side 3 is no thread budget/);
  });
});

describe('chosenPlan', () => {
  const model = { sha256: 'x', inputs: [{ name: 'in', shape: [1, 8] }] };
  const gpuHalf = Uint8Array.from(graph.ops, (op) => (op.index < 3 ? ON_GPU : ON_CPU));
  const chosen = {
    name: 'two-phase',
    assignment: [new Uint8Array(graph.ops.length), gpuHalf],
    splits: [{ tenant: 0, sides: new Uint8Array(graph.ops.length).fill(ON_GPU), share: 0.0625 }],
  };
  const options = { budgets: [], seed: 7 };

  it("gives a split tenant's plan its alternate placement and share", () => {
    const plan = chosenPlan(graph, model, chosen, 0, options);
    expect(Object.values(plan.placement).every((processor) => processor === 'cpu')).toBe(true);
    expect(plan.alternate?.share).toBe(0.0625);
    expect(plan.alternate?.plan.segments.map((segment) => segment.processor)).toEqual(['gpu:0']);
    expect(plan.alternate?.plan.spec).toBe('search:two-phase');
    expect(plan.model.inputShapes).toEqual({ in: [1, 8] });
  });

  it('gives a tenant that was not split a plan without an alternate', () => {
    const plan = chosenPlan(graph, model, chosen, 1, options);
    expect('alternate' in plan).toBe(false);
    expect(plan.segments.map((segment) => segment.processor)).toEqual(['gpu:0', 'cpu']);
  });
});
