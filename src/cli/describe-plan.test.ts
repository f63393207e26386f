import { describe, expect, it } from 'vitest';
import { buildGraph } from '../graph/index.js';
import { decodeModel } from '../onnx/index.js';
import { makePlan, type Placement } from '../partition/index.js';
import { synthModel } from '../synth/index.js';
import { describePlan } from './describe-plan.js';

const graph = buildGraph(decodeModel(synthModel({ kind: 'chain', operators: 6, seed: 1 }).bytes));
const META = { sha256: 'x', inputShapes: {} };
const place = (processor: (index: number) => string): Placement =>
  Object.fromEntries(graph.ops.map((op, i) => [op.id, processor(i)])) as Placement;

describe('describePlan (the plan line of hetsched infer)', () => {
  const whole = makePlan(
    graph,
    place(() => 'cpu'),
    [],
    { ...META, spec: 'all-cpu' },
  );
  const lanes = makePlan(
    graph,
    place((i) => (i < 3 ? 'cpu' : 'cpu:1')),
    [],
    { ...META, spec: 'explicit' },
  );

  it('counts segments per processor and boundary tensors', () => {
    expect(describePlan(whole)).toBe('plan all-cpu: 1 segment(s) (1 on cpu), 1 boundary tensor(s)');
    expect(describePlan(lanes)).toBe(
      'plan explicit: 2 segment(s) (1 on cpu, 1 on cpu:1), 2 boundary tensor(s)',
    );
  });

  it("ends with the alternate's segments and share", () => {
    const split = makePlan(graph, whole.placement, [], {
      ...META,
      spec: 'all-cpu',
      alternate: { share: 0.25, plan: lanes },
    });
    expect(describePlan(split)).toBe(
      'plan all-cpu: 1 segment(s) (1 on cpu), 1 boundary tensor(s); ' +
        'alternate for 25% of the requests when applied: 2 segment(s) (1 on cpu, 1 on cpu:1)',
    );
  });
});
