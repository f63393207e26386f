import { describe, expect, it } from 'vitest';
import type { GraphIR } from '../graph/index.js';
import { wholeRunSavings } from './lp-whole-run.js';
import { handOp, handTenant, handTensor, TWO_OP_GRAPH } from './two-op-fixture.js';

/** A and B each read the request's own input and write an output of their own: two parts. */
const TWO_PARTS: GraphIR = {
  ...TWO_OP_GRAPH,
  graphName: 'two-parts',
  inputs: ['in', 'in2'],
  outputs: ['out', 'out2'],
  ops: [handOp(0, 'A', ['in'], ['out']), handOp(1, 'B', ['in2'], ['out2'])],
  tensors: {
    in: handTensor('in', 'input', null, [0]),
    in2: handTensor('in2', 'input', null, [1]),
    out: handTensor('out', 'intermediate', 0, []),
    out2: { ...handTensor('out2', 'intermediate', 1, []), isGraphOutput: true },
  },
};

/** The CPU's difference for a tenant whose whole run measured `wholeMs`, the LP charging 5.5 ms. */
function cpuSaving(graph: GraphIR, wholeMs: number, cpuLanes = false): number {
  const tenant = handTenant(graph, { A: 4, B: 1 }, { A: 1, B: 2 }, { ratePerS: 1 });
  return (
    wholeRunSavings({
      tenant,
      cpuLanes,
      charges: [{ pool: 'cpu', rewardedCuts: [], fusedMs: 5 }],
      launchMs: () => 0.5,
      requestEdgesMs: new Map(),
      prices: () => ({
        fusedMs: new Float64Array(2),
        splitMs: new Float64Array(2),
        groupOf: Int32Array.from([0, 1]),
        wholeRunMs: wholeMs,
        wholeRunLatenciesMs: [wholeMs],
      }),
      ceilingMs: new Map([['cpu', 10]]),
    }).get('cpu') ?? Number.NaN
  );
}

describe('wholeRunSavings', () => {
  it('saves where the whole run is cheaper, surcharges where dearer, nothing within rounding', () => {
    expect(cpuSaving(TWO_OP_GRAPH, 3)).toBeCloseTo(2.5, 12);
    expect(cpuSaving(TWO_OP_GRAPH, 7)).toBeCloseTo(-1.5, 12);
    expect(cpuSaving(TWO_OP_GRAPH, 5.5 * (1 + 1e-12))).toBe(0);
  });

  it('caps a surcharge at a second launch where a request may run in two segments', () => {
    // The shipped H100 machine's workers do not wait (no workerIdle): a second segment costs its launch.
    expect(cpuSaving(TWO_PARTS, 7)).toBeCloseTo(-0.5, 12);
    expect(cpuSaving(TWO_OP_GRAPH, 7, true)).toBeCloseTo(-0.5, 12);
  });
});
