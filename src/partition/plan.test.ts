import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/thrown.js';
import { Code } from '../common/index.js';
import { buildGraph, type GraphIR } from '../graph/index.js';
import { decodeModel } from '../onnx/index.js';
import { type SynthKind, synthModel } from '../synth/index.js';
import { pinToCpu } from './pins.js';
import { expandPlacement, type Placement } from './placement-spec.js';
import {
  makePlan,
  PLAN_KIND,
  PLAN_VERSION,
  type Plan,
  parsePlan,
  planSegments,
  withLaneThreads,
} from './plan.js';
import { segmentGraph } from './segments.js';

const SHA = 'ab'.repeat(32);
const OTHER_SHA = 'cd'.repeat(32);
const META = { sha256: SHA, inputShapes: { input: [1, 64] } };

const graphs = new Map<string, GraphIR>();
function synthGraph(kind: SynthKind, operators: number, seed = 1): GraphIR {
  const key = `${kind}/${operators}/${seed}`;
  let graph = graphs.get(key);
  if (!graph) {
    graph = buildGraph(decodeModel(synthModel({ kind, operators, seed }).bytes));
    graphs.set(key, graph);
  }
  return graph;
}

const chain = synthGraph('chain', 6);
const branches = synthGraph('branches', 30);

function randomPlan(graph: GraphIR, seed: number): Plan {
  return makePlan(graph, expandPlacement(graph, { kind: 'random', seed }), [], {
    ...META,
    spec: `random:${seed}`,
    seed,
  });
}

/** The plan as a user would hand it back: JSON text, parsed. */
function asJson(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

describe('makePlan', () => {
  it('records the placement, its segments and what crosses between them', () => {
    const ids = chain.ops.map((op) => op.id);
    const placement: Placement = Object.fromEntries(ids.map((id, i) => [id, i < 3 ? 'cpu' : 'gpu:0']));
    const plan = makePlan(chain, placement, [], { ...META, spec: 'explicit' });
    const crossing = chain.ops[2]?.outputs[0] ?? '';
    expect(plan).toEqual({
      kind: PLAN_KIND,
      version: PLAN_VERSION,
      model: { sha256: SHA, inputShapes: { input: [1, 64] } },
      spec: 'explicit',
      placement,
      pinned: [],
      segments: [
        { id: 0, processor: 'cpu', ops: ids.slice(0, 3), inputs: ['input'], outputs: [crossing] },
        { id: 1, processor: 'gpu:0', ops: ids.slice(3), inputs: [crossing], outputs: ['output'] },
      ],
      boundaries: [
        { tensor: 'input', bytes: 64 * 4, from: null, to: [0] },
        { tensor: crossing, bytes: 64 * 4, from: 0, to: [1] },
      ],
    });
    expect('seed' in plan).toBe(false);
    expect(makePlan(chain, placement, [], { ...META, spec: 'random:0', seed: 0 }).seed).toBe(0);
  });

  it('lists segments exactly as segmentGraph cuts them, ops by id', () => {
    const plan = randomPlan(branches, 5);
    const segments = segmentGraph(branches, plan.placement);
    expect(plan.segments.length).toBeGreaterThan(2);
    expect(plan.segments).toEqual(
      segments.map((segment) => ({
        ...segment,
        ops: segment.ops.map((index) => branches.ops[index]?.id),
      })),
    );
    expect(planSegments(branches, plan)).toEqual(segments);
  });

  it('has one boundary per tensor read across segments, from its producer to every reader', () => {
    const plan = randomPlan(branches, 9);
    const producer = new Map<string, number>();
    for (const segment of plan.segments) for (const name of segment.outputs) producer.set(name, segment.id);
    for (const boundary of plan.boundaries) {
      expect(boundary.from).toBe(producer.get(boundary.tensor) ?? null);
      expect(boundary.to).toEqual(
        plan.segments
          .filter((segment) => segment.inputs.includes(boundary.tensor))
          .map((segment) => segment.id),
      );
      expect(boundary.bytes).toBe(branches.tensors[boundary.tensor]?.bytes);
    }
    const readAcross = new Set(plan.segments.flatMap((segment) => segment.inputs));
    expect(plan.boundaries.map((boundary) => boundary.tensor).sort()).toEqual([...readAcross].sort());
  });
});

describe('parsePlan', () => {
  it('gives back the plan it reads, through JSON', () => {
    fc.assert(
      fc.property(fc.constantFrom(chain, branches), fc.integer({ min: 0, max: 1000 }), (graph, seed) => {
        const plan = randomPlan(graph, seed);
        expect(parsePlan(asJson(plan), graph, SHA)).toEqual(plan);
      }),
      { numRuns: 25 },
    );
  });

  it('keeps pins and CPU lanes through JSON', () => {
    const wanted = expandPlacement(branches, {
      kind: 'random',
      seed: 3,
      processors: ['cpu:1', 'gpu:0', 'cpu'],
    });
    const { placement, pinned } = pinToCpu(
      branches,
      wanted,
      new Map([['gpu:0', { available: false, detail: 'no GPU here', nodes: new Map() }]]),
    );
    const plan = makePlan(branches, placement, pinned, { ...META, spec: 'random:3@cpu:1,gpu:0,cpu' });
    expect(plan.pinned.length).toBeGreaterThan(0);
    expect(new Set(Object.values(plan.placement))).toEqual(new Set(['cpu', 'cpu:1']));
    expect(parsePlan(asJson(plan), branches, SHA)).toEqual(plan);
  });

  it('accepts a plan without segments, boundaries, pins or spec, rebuilding them', () => {
    const plan = randomPlan(branches, 11);
    const bare = { kind: PLAN_KIND, version: PLAN_VERSION, model: plan.model, placement: plan.placement };
    const { seed: _seed, ...unseeded } = plan;
    expect(parsePlan(bare, branches, SHA)).toEqual({ ...unseeded, spec: 'explicit' });
  });

  it('accepts a hand-written placement with segments in any key order', () => {
    const plan = randomPlan(chain, 2);
    const reordered = asJson({
      ...plan,
      segments: plan.segments.map(({ outputs, inputs, ops, processor, id }) => ({
        outputs,
        inputs,
        ops,
        processor,
        id,
      })),
    });
    expect(parsePlan(reordered, chain, SHA)).toEqual(plan);
  });

  const rejects = (value: unknown, message: string, graph: GraphIR = chain) => {
    const error = thrown(() => parsePlan(value, graph, SHA));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe(message);
  };

  it('rejects what is not a plan object', () => {
    rejects(null, 'not a valid hetsched.plan v1: plan: Invalid input: expected object, received null');
    rejects([], 'not a valid hetsched.plan v1: plan: Invalid input: expected object, received array');
  });

  it('rejects the wrong kind or version', () => {
    const plan = asJson(randomPlan(chain, 1));
    rejects(
      { ...plan, kind: 'hetsched.profile' },
      'not a valid hetsched.plan v1: kind: Invalid input: expected "hetsched.plan"',
    );
    rejects({ ...plan, version: 2 }, 'not a valid hetsched.plan v1: version: Invalid input: expected 1');
  });

  it('rejects a plan made for another model', () => {
    const plan = makePlan(chain, expandPlacement(chain, { kind: 'all', processor: 'cpu' }), [], {
      sha256: OTHER_SHA,
      inputShapes: {},
      spec: 'all-cpu',
    });
    rejects(
      asJson(plan),
      `the plan is for the model with sha256 ${'cd'.repeat(6)}…, not this one (${'ab'.repeat(6)}…)`,
    );
  });

  it('rejects operators the model does not have, naming them', () => {
    const plan = asJson(randomPlan(chain, 1));
    const placement = { ...(plan.placement as Record<string, string>), ghost: 'cpu', phantom: 'gpu:0' };
    rejects({ ...plan, placement }, 'the plan places operators the model does not have: ghost, phantom');
  });

  it('rejects a placement that leaves operators out, naming them', () => {
    const plan = asJson(
      makePlan(chain, expandPlacement(chain, { kind: 'all', processor: 'cpu' }), [], {
        ...META,
        spec: 'all-cpu',
      }),
    );
    const [first, second] = chain.ops.map((op) => op.id);
    const placement = { ...(plan.placement as Record<string, string>) };
    delete placement[first ?? ''];
    delete placement[second ?? ''];
    rejects(
      { ...plan, placement, segments: undefined },
      `the plan does not place 2 operator(s): ${first}, ${second}`,
    );
  });

  it('rejects processors that are not ones, saying what a processor is', () => {
    const plan = asJson(randomPlan(chain, 1));
    const id = chain.ops[0]?.id ?? '';
    for (const bad of ['tpu:0', 'gpu', 'GPU:0', 'cpu:-1', '']) {
      rejects(
        { ...plan, placement: { ...(plan.placement as Record<string, string>), [id]: bad } },
        `not a valid hetsched.plan v1: placement.${id}: a processor is 'cpu', 'cpu:N' or 'gpu:N'`,
      );
    }
    const pinned = [{ op: id, wanted: 'npu:0', processor: 'cpu', reason: 'no-gpu', detail: '' }];
    rejects(
      { ...plan, pinned },
      "not a valid hetsched.plan v1: pinned.0.wanted: a processor is 'cpu', 'cpu:N' or 'gpu:N'",
    );
  });

  it('rejects pins with an unknown reason and lists every problem at once', () => {
    const plan = asJson(randomPlan(chain, 1));
    const pinned = [{ op: 'x', wanted: 'gpu:0', processor: 'cpu', reason: 'tired', detail: '' }];
    const error = thrown(() => parsePlan({ ...plan, pinned, version: 3 }, chain, SHA));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toMatch(/^not a valid hetsched\.plan v1: version: .*; pinned\.0\.reason: /);
  });

  it('rejects segments that are not the ones its placement implies', () => {
    const plan = randomPlan(branches, 5);
    const message =
      "the plan's segments are not the ones its placement and thread budgets imply; remove them or fix the placement";
    const json = asJson(plan);
    rejects({ ...json, segments: plan.segments.slice(1) }, message, branches);
    const [first, ...rest] = plan.segments;
    if (!first) throw new Error('no segments');
    const flipped = { ...first, processor: first.processor === 'cpu' ? 'gpu:0' : 'cpu' };
    rejects({ ...json, segments: [flipped, ...rest] }, message, branches);
    rejects(
      { ...json, segments: [{ ...first, ops: [...first.ops].reverse(), inputs: [] }, ...rest] },
      message,
      branches,
    );
    // A placement changed without its segments.
    const moved = { ...plan.placement, [first.ops[0] ?? '']: first.processor === 'cpu' ? 'gpu:0' : 'cpu' };
    rejects({ ...json, placement: moved }, message, branches);
  });
});

describe('thread budgets (Plan.threads)', () => {
  const lanes = (): Placement =>
    Object.fromEntries(chain.ops.map((op, i) => [op.id, i < 2 ? 'cpu' : i < 4 ? 'cpu:1' : 'gpu:0']));

  it('gives the lane’s segments its budget and keeps it through JSON', () => {
    const plan = makePlan(chain, lanes(), [], { ...META, spec: 'explicit', threads: { 'cpu:1': 2 } });
    expect(plan.threads).toEqual({ 'cpu:1': 2 });
    expect(plan.segments.map((segment) => [segment.processor, segment.threads])).toEqual([
      ['cpu', undefined],
      ['cpu:1', 2],
      ['gpu:0', undefined],
    ]);
    expect(parsePlan(asJson(plan), chain, SHA)).toEqual(plan);
    // Without budgets the plan has no threads field at all.
    expect('threads' in makePlan(chain, lanes(), [], { ...META, spec: 'explicit', threads: {} })).toBe(false);
  });

  it('puts every CPU lane of a plan at one budget (withLaneThreads), for parsePlan to rebuild', () => {
    const plan = makePlan(chain, lanes(), [], { ...META, spec: 'explicit' });
    const wide = parsePlan(asJson(withLaneThreads(plan, 3)), chain, SHA);
    expect(wide.threads).toEqual({ cpu: 3, 'cpu:1': 3 });
    expect(wide.segments.map((segment) => segment.threads)).toEqual([3, 3, undefined]);
    expect(wide.placement).toEqual(plan.placement);
  });

  it('rejects a budget on a GPU, on an unused lane, or out of range, naming the lane', () => {
    const reject = (threads: Record<string, number>, message: string) => {
      const error = thrown(() => makePlan(chain, lanes(), [], { ...META, spec: 'explicit', threads }));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.message).toBe(message);
    };
    reject(
      { 'gpu:0': 2 },
      "threads: 'gpu:0' is not a CPU lane ('cpu' or 'cpu:N'); only CPU sessions take a thread budget",
    );
    reject({ 'cpu:2': 2 }, "threads: no operator is placed on 'cpu:2'");
    reject({ 'cpu:1': 0 }, "threads: 'cpu:1' must have 1 to 256 threads, got 0");
    reject({ cpu: 1.5 }, "threads: 'cpu' must have 1 to 256 threads, got 1.5");
    // Through parsePlan too, and segments that disagree with the budgets are refused.
    const plan = makePlan(chain, lanes(), [], { ...META, spec: 'explicit', threads: { 'cpu:1': 2 } });
    const json = asJson(plan);
    expect(thrown(() => parsePlan({ ...json, threads: { 'cpu:1': 999 } }, chain, SHA)).code).toBe(
      Code.InvalidArgument,
    );
    expect(thrown(() => parsePlan({ ...json, threads: { 'cpu:1': 3 } }, chain, SHA)).message).toBe(
      "the plan's segments are not the ones its placement and thread budgets imply; remove them or fix the placement",
    );
  });
});
