import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/thrown.js';
import { Code } from '../common/index.js';
import {
  CPU_COSTS,
  fixtureGraph,
  fixtureMachine,
  fixtureModelProfile,
  GPU_COSTS,
  processorCosts,
} from './cost-fixture.js';
import { CostModel, linear } from './cost-model.js';

const graph = fixtureGraph();
const [CONV, BN, RELU, MM, ADD] = [0, 1, 2, 3, 4];

function model(profile = fixtureModelProfile(), machine = fixtureMachine(), cpuThreads = 1): CostModel {
  return new CostModel(graph, machine, profile, { cpuThreads });
}

function op(index: number) {
  const found = graph.ops[index];
  if (!found) throw new Error(`no op ${index}`);
  return found;
}

describe('the fixture graph', () => {
  it('is the chain the expectations below assume', () => {
    expect(graph.ops.map(({ id }) => id)).toEqual(['conv', 'bn', 'relu', 'mm', 'add']);
    expect(
      Object.fromEntries(['x', 'z', 'a', 'b1', 'r', 'mm_out', 'y'].map((n) => [n, graph.tensors[n]?.bytes])),
    ).toEqual({
      x: 1 << 20,
      z: 1 << 19,
      a: 1 << 20,
      b1: 1 << 20,
      r: 1 << 20,
      mm_out: 1 << 19,
      y: 1 << 19,
    });
  });
});

describe('CostModel.segmentFeatures and segmentMs (CPU: conv, bn, relu fused into one group)', () => {
  const cost = model();

  it('gives each segment its own answer, whatever was asked before (its scratch is cleared per call)', () => {
    const alone = model().segmentFeatures([BN, RELU], ['a'], ['r'], 'cpu');
    const shared = model();
    shared.segmentFeatures([CONV, BN, RELU, MM, ADD], ['x', 'z'], ['y'], 'cpu');
    shared.segmentFeatures([CONV], ['x'], ['a'], 'cpu');
    expect(shared.segmentFeatures([BN, RELU], ['a'], ['r'], 'cpu')).toEqual(alone);
    expect(shared.segmentClass([BN, RELU], 'cpu')).toBe('normalization');
  });

  it('charges fused time for groups held whole', () => {
    // Groups: {conv, bn, relu} (kernel in bn: 3 ms), {mm} 3.5 ms, {add} 0.25 ms.
    const features = cost.segmentFeatures([CONV, BN, RELU, MM, ADD], ['x', 'z'], ['y'], 'cpu');
    // Boundary: x 1 + z 0.5 + y 0.5 MiB; only x touches the convolution.
    // No group is cut: no operator pays the per-operator term (fused times hold their overheads).
    expect(features).toEqual({
      intactMs: 6.75,
      cutSoloMs: 0,
      ops: 0,
      boundaryMiB: 2,
      convEdgeMiB: 1,
      outputMiB: 0.5,
      tensors: 3,
    });
    // launch 0.02 (the machine's) + 6.75 + 2 x 0.2 + 1 x 0.3
    expect(cost.segmentMs([CONV, BN, RELU, MM, ADD], ['x', 'z'], ['y'], 'cpu')).toBeCloseTo(7.47, 12);
  });

  it('charges the unfused time of the members of a group it cuts, times the split ratio', () => {
    // conv and bn without relu: the group is cut, so conv 2 + bn 1 run unfused.
    const features = cost.segmentFeatures([CONV, BN], ['x'], ['b1'], 'cpu');
    expect(features).toEqual({
      intactMs: 0,
      cutSoloMs: 3,
      ops: 2,
      boundaryMiB: 2,
      convEdgeMiB: 1,
      outputMiB: 1,
      tensors: 2,
    });
    // 0.02 + 1.5 x 3 + 2 x 0.01 + 2 x 0.2 + 1 x 0.3
    expect(cost.segmentMs([CONV, BN], ['x'], ['b1'], 'cpu')).toBeCloseTo(5.24, 12);

    // The other side of the cut: relu unfused (0.5), mm and add whole (3.75).
    expect(cost.segmentFeatures([RELU, MM, ADD], ['b1', 'z'], ['y'], 'cpu')).toEqual({
      intactMs: 3.75,
      cutSoloMs: 0.5,
      ops: 1,
      boundaryMiB: 2,
      convEdgeMiB: 0,
      outputMiB: 0.5,
      tensors: 3,
    });
    // 0.02 + 3.75 + 1.5 x 0.5 + 1 cut op x 0.01 + 2 x 0.2
    expect(cost.segmentMs([RELU, MM, ADD], ['b1', 'z'], ['y'], 'cpu')).toBeCloseTo(4.93, 12);
  });

  it('counts a conv edge only where a convolution inside the segment touches the tensor', () => {
    // 'a' is the convolution's output, but the convolution is not in this segment.
    expect(cost.segmentFeatures([BN, RELU], ['a'], ['r'], 'cpu')).toEqual({
      intactMs: 0,
      cutSoloMs: 1.5,
      ops: 2,
      boundaryMiB: 2,
      convEdgeMiB: 0,
      outputMiB: 1,
      tensors: 2,
    });
    // Its output 'a' is one the convolution writes.
    expect(cost.segmentFeatures([CONV], ['x'], ['a'], 'cpu').convEdgeMiB).toBe(2);
  });

  it('ignores boundary names the graph does not know', () => {
    expect(cost.segmentFeatures([MM], ['r', 'ghost'], ['mm_out'], 'cpu')).toEqual({
      intactMs: 3.5,
      cutSoloMs: 0,
      ops: 0,
      boundaryMiB: 1.5,
      convEdgeMiB: 0,
      outputMiB: 0.5,
      tensors: 2,
    });
  });

  it('charges each boundary tensor the per-tensor term, whatever its size', () => {
    const perTensor = new CostModel(
      graph,
      fixtureMachine(),
      fixtureModelProfile({ '1': { ...CPU_COSTS, perTensorMs: 0.01 } }),
      { cpuThreads: 1 },
    );
    // x, b1: two tensors; b1, z, y: three.
    expect(perTensor.segmentMs([CONV, BN], ['x'], ['b1'], 'cpu')).toBeCloseTo(5.24 + 0.02, 12);
    expect(perTensor.segmentMs([RELU, MM, ADD], ['b1', 'z'], ['y'], 'cpu')).toBeCloseTo(4.93 + 0.03, 12);
    expect(perTensor.segmentOverheads('cpu').perTensorMs).toBe(0.01);
  });

  it('scales fused time by the intact ratio and charges outputs their own per-MiB term', () => {
    const profile = fixtureModelProfile();
    const cpu = { ...CPU_COSTS, intactRatio: 1.2, outputMsPerMiB: 0.1 };
    const fitted = model({ ...profile, cpu: { '1': cpu } });
    // 0.02 + 1.2 x 6.75 + 2 x 0.2 + 1 x 0.3 + 0.5 MiB out x 0.1
    expect(fitted.segmentMs([CONV, BN, RELU, MM, ADD], ['x', 'z'], ['y'], 'cpu')).toBeCloseTo(8.87, 12);
    // The floor of an operator kept whole is its scaled fused share.
    expect(fitted.opPrices(MM, 'cpu').fusedMs).toBeCloseTo(1.2 * 3.5, 12);
  });

  it('is the sum of the terms for an empty segment: the launch alone', () => {
    expect(cost.segmentMs([], [], [], 'cpu')).toBeCloseTo(0.02, 12);
  });
});

describe('CostModel on the GPU (nothing fused, launch fitted)', () => {
  const cost = model();

  it('uses the fitted launch cost instead of the machine’s, and unfused times as fused ones', () => {
    const features = cost.segmentFeatures([CONV, BN], ['x'], ['b1'], 'gpu:0');
    expect(features.intactMs).toBeCloseTo(0.3, 12);
    expect(features).toMatchObject({ cutSoloMs: 0, ops: 0, boundaryMiB: 2, convEdgeMiB: 1 });
    // 0.04 (fitted) + 0.2 + 0.1; nothing cut, boundary coefficients 0.
    expect(cost.segmentMs([CONV, BN], ['x'], ['b1'], 'gpu:0')).toBeCloseTo(0.34, 12);
    expect(cost.launchMs('gpu:0')).toBe(0.03);
  });

  it('prices every GPU index from the one GPU profile', () => {
    expect(cost.opMs(op(MM), 'gpu:0')).toBe(0.4);
    expect(cost.opMs(op(MM), 'gpu:2')).toBe(0.4);
    expect(cost.opMs(op(MM), 'cpu')).toBe(4);
  });
});

describe('CostModel.requestPathMs', () => {
  it("is the engine's path by the request's and reply's MiB, plus handing each returned output back", () => {
    const machine = fixtureMachine();
    const withPath = { ...machine, cpu: { ...machine.cpu, request: { fixedMs: 0.1, msPerMiB: 0.2 } } };
    const cost = model(fixtureModelProfile(), withPath);
    // x 1 MiB and z 0.5 MiB in, y 0.5 MiB out: 0.1 + 0.2 x 2; y handed back: 0.01 + 0.1 x 0.5.
    expect(cost.requestPathMs()).toBeCloseTo(0.5 + 0.06, 12);
    expect(cost.requestPathMs([])).toBeCloseTo(0.5, 12);
  });
});

describe('CostModel.runSpreadLogSd', () => {
  it("is the log-normal σ of the whole run's 10th and 90th percentiles, 0 where they do not differ", () => {
    // 10 and 20 ms: ln 2 / (2 x 1.2816).
    const spread = processorCosts(
      { conv: 2 },
      {},
      { whole: { medianMs: 14, p10Ms: 10, p90Ms: 20, runs: 20 } },
    );
    const cost = model(fixtureModelProfile({ '1': spread }, GPU_COSTS));
    expect(cost.runSpreadLogSd('cpu')).toBeCloseTo(Math.LN2 / (2 * 1.2815515655446004), 12);
    // The fixture's GPU timings have p10 = p90; a zero p10 means nothing was measured.
    expect(cost.runSpreadLogSd('gpu:0')).toBe(0);
    const unmeasured = processorCosts(
      { conv: 2 },
      {},
      { whole: { medianMs: 0, p10Ms: 0, p90Ms: 0, runs: 0 } },
    );
    expect(model(fixtureModelProfile({ '1': unmeasured }, null)).runSpreadLogSd('cpu')).toBe(0);
  });
});

describe('CostModel without a fused profile', () => {
  it('takes an operator’s fused time to be its unfused time', () => {
    const solo = { conv: 2, bn: 1, relu: 0.5, mm: 4, add: 0.25 };
    const cost = model(fixtureModelProfile({ '1': processorCosts(solo, {}) }, null));
    expect(cost.segmentFeatures([CONV, BN, RELU, MM, ADD], ['x', 'z'], ['y'], 'cpu').intactMs).toBe(7.75);
    // Every operator is its own group: nothing is ever cut.
    expect(cost.segmentFeatures([BN, RELU], ['a'], ['r'], 'cpu')).toMatchObject({
      intactMs: 1.5,
      cutSoloMs: 0,
    });
  });

  it('stops following an inconsistent (cyclic) absorption', () => {
    const cyclic = processorCosts(
      { conv: 2, bn: 1 },
      { conv: 2, bn: 1 },
      { absorbedInto: { conv: 'bn', bn: 'conv' } },
    );
    const cost = model(fixtureModelProfile({ '1': cyclic }, null));
    const ms = cost.segmentMs([CONV, BN], ['x'], ['b1'], 'cpu');
    expect(Number.isFinite(ms)).toBe(true);
  });
});

describe('CostModel profile selection', () => {
  const half = processorCosts({ conv: 1, bn: 0.5, relu: 0.25, mm: 2, add: 0.125 }, {});

  it('picks the CPU costs measured with the session’s thread count, else 1 thread, else any', () => {
    expect(
      model(fixtureModelProfile({ '1': CPU_COSTS, '4': half }), fixtureMachine(), 4).opMs(op(CONV), 'cpu'),
    ).toBe(1);
    expect(
      model(fixtureModelProfile({ '1': CPU_COSTS, '4': half }), fixtureMachine(), 2).opMs(op(CONV), 'cpu'),
    ).toBe(2);
    expect(model(fixtureModelProfile({ '8': half }), fixtureMachine(), 2).opMs(op(CONV), 'cpu')).toBe(1);
  });

  it('refuses a model profile without CPU costs', () => {
    const error = thrown(() => model(fixtureModelProfile({}, GPU_COSTS)));
    expect(error.code).toBe(Code.FailedPrecondition);
    expect(error.message).toMatch(/no CPU measurements/);
  });

  it('has a GPU only where both the machine and the model profile have one', () => {
    expect(model().hasGpu).toBe(true);
    expect(model(fixtureModelProfile(), fixtureMachine(false)).hasGpu).toBe(false);
    const cpuOnly = model(fixtureModelProfile({ '1': CPU_COSTS }, null));
    expect(cpuOnly.hasGpu).toBe(false);
    const error = thrown(() => cpuOnly.segmentMs([CONV], ['x'], ['a'], 'gpu:0'));
    expect(error.code).toBe(Code.FailedPrecondition);
    expect(error.message).toMatch(/no gpu:0 costs/);
  });
});

describe('CostModel.segmentClass', () => {
  const cost = model();

  it('is the class with the most unfused time', () => {
    // conv 2, normalization 1, elementwise 0.75, matmul 4.
    expect(cost.segmentClass([CONV, BN, RELU, MM, ADD], 'cpu')).toBe('matmul');
    // By fused time bn's group would be normalization (3 vs 0); by unfused time conv wins.
    expect(cost.segmentClass([CONV, BN, RELU], 'cpu')).toBe('conv');
    expect(cost.segmentClass([BN, RELU], 'cpu')).toBe('normalization');
    expect(cost.segmentClass([RELU, ADD], 'cpu')).toBe('elementwise');
  });

  it('is elementwise for an empty segment', () => {
    expect(cost.segmentClass([], 'cpu')).toBe('elementwise');
  });

  it('gives a tie to the class met first in the segment', () => {
    const even = processorCosts({ conv: 1, bn: 1, relu: 1, mm: 1, add: 1 }, {});
    const tied = model(fixtureModelProfile({ '1': even }, null));
    expect(tied.segmentClass([CONV, MM], 'cpu')).toBe('conv');
    expect(tied.segmentClass([MM, CONV], 'cpu')).toBe('matmul');
  });

  it('follows the pool’s own times', () => {
    const gpu = processorCosts({ conv: 0.2, bn: 0.1, relu: 0.05, mm: 0.01, add: 0.025 }, {});
    const cheapMatmul = model(fixtureModelProfile({ '1': CPU_COSTS }, gpu));
    expect(cheapMatmul.segmentClass([CONV, BN, RELU, MM, ADD], 'cpu')).toBe('matmul');
    expect(cheapMatmul.segmentClass([CONV, BN, RELU, MM, ADD], 'gpu:0')).toBe('conv');
  });
});

describe('CostModel.boundaryMs, dispatchMs, launchMs', () => {
  const cost = model();
  const twoMiB = 2 << 20;

  it('charges a hand-off out of one worker and into the next between CPU segments', () => {
    // 2 x (0.01 + 2 x 0.1)
    expect(cost.boundaryMs(twoMiB, 'cpu', 'cpu')).toBeCloseTo(0.42, 12);
    expect(cost.boundaryMs(0, 'cpu', 'cpu')).toBeCloseTo(0.02, 12);
  });

  it('adds the device copy where a GPU is on either side', () => {
    // + host to device 0.02 + 2 x 0.5
    expect(cost.boundaryMs(twoMiB, 'cpu', 'gpu:0')).toBeCloseTo(1.44, 12);
    // + device to host 0.03 + 2 x 0.6
    expect(cost.boundaryMs(twoMiB, 'gpu:0', 'cpu')).toBeCloseTo(1.65, 12);
    // both copies
    expect(cost.boundaryMs(twoMiB, 'gpu:0', 'gpu:1')).toBeCloseTo(2.67, 12);
  });

  it('refuses a GPU side on a machine without a GPU, naming the machine', () => {
    const cpuMachine = model(fixtureModelProfile(), fixtureMachine(false));
    expect(cpuMachine.boundaryMs(twoMiB, 'cpu', 'cpu')).toBeCloseTo(0.42, 12);
    for (const action of [
      () => cpuMachine.boundaryMs(twoMiB, 'cpu', 'gpu:0'),
      () => cpuMachine.dispatchMs('gpu:0'),
      () => cpuMachine.launchMs('gpu:0'),
    ]) {
      const error = thrown(action);
      expect(error.code).toBe(Code.FailedPrecondition);
      expect(error.message).toMatch(/'fixture-cpu' has no GPU/);
    }
  });

  it('reads dispatch and launch costs from the machine per pool', () => {
    expect(cost.dispatchMs('cpu')).toBe(0.05);
    expect(cost.dispatchMs('gpu:0')).toBe(0.07);
    expect(cost.launchMs('cpu')).toBe(0.02);
    expect(cost.launchMs('gpu:0')).toBe(0.03);
  });
});

describe('linear', () => {
  it('is a fixed cost plus a cost per MiB', () => {
    expect(linear({ fixedMs: 0.5, msPerMiB: 2 }, 3 << 20)).toBe(6.5);
    expect(linear({ fixedMs: 0.5, msPerMiB: 2 }, 0)).toBe(0.5);
    expect(linear({ fixedMs: 0, msPerMiB: 1 }, 1 << 19)).toBe(0.5);
  });
});

describe('CostModel.opFloorMs (the LP bound prices operators at it)', () => {
  const cost = model();
  const ids = ['conv', 'bn', 'relu', 'mm', 'add'] as const;

  it('is min(fused, splitRatio x unfused + perOpMs), by hand', () => {
    // CPU: split 1.5, 0.01 ms/op. mm: min(3.5, 1.5 x 4 + 0.01); bn: min(3, 1.5 x 1 + 0.01).
    expect(cost.opFloorMs(MM, 'cpu')).toBeCloseTo(3.5, 12);
    expect(cost.opFloorMs(BN, 'cpu')).toBeCloseTo(1.51, 12);
    // conv and relu are absorbed into bn: no fused time of their own.
    expect(cost.opFloorMs(CONV, 'cpu')).toBeCloseTo(0, 12);
    // add: min(0.25, 1.5 x 0.25 + 0.01).
    expect(cost.opFloorMs(ADD, 'cpu')).toBeCloseTo(0.25, 12);
    // GPU: nothing fused (fused = unfused), split 1, 0.001 ms/op: min(0.4, 0.401).
    expect(cost.opFloorMs(MM, 'gpu:0')).toBeCloseTo(0.4, 12);
  });

  it('adds up to no more than segmentMs for every subset of operators on either pool', () => {
    const subsets: number[][] = [];
    for (let mask = 1; mask < 1 << ids.length; mask++)
      subsets.push(ids.flatMap((_, index) => ((mask >> index) & 1 ? [index] : [])));
    expect(subsets).toHaveLength(31);
    for (const pool of ['cpu', 'gpu:0'] as const)
      for (const ops of subsets) {
        const floorMs = ops.reduce((sum, index) => sum + cost.opFloorMs(index, pool), 0);
        expect(floorMs).toBeLessThanOrEqual(cost.segmentMs(ops, [], [], pool) + 1e-12);
      }
  });

  it.each([
    ['the whole graph, groups intact', [CONV, BN, RELU, MM, ADD], ['x', 'z'], ['y']],
    ['conv+bn, cutting the fused group', [CONV, BN], ['x'], ['b1']],
    ['bn alone, cut from its group', [BN], ['a'], ['b1']],
    ['relu+mm, cutting the group', [RELU, MM], ['b1'], ['mm_out']],
    ['mm+add, intact groups', [MM, ADD], ['r', 'z'], ['y']],
  ])('adds up to no more than segmentMs of %s', (_name, ops, inputs, outputs) => {
    for (const pool of ['cpu', 'gpu:0'] as const) {
      const floorMs = ops.reduce((sum, index) => sum + cost.opFloorMs(index, pool), 0);
      expect(floorMs).toBeLessThanOrEqual(cost.segmentMs(ops, inputs, outputs, pool));
    }
  });

  it('is strictly below segmentMs of the intact CPU graph by launch and boundaries at least', () => {
    // Floors 0 + 1.51 + 0 + 3.5 + 0.25 = 5.26; the segment: launch 0.02 + fused 6.75
    // + 0.2 x 2 MiB + 0.3 x 1 MiB at the convolution = 7.47.
    const floorMs = [CONV, BN, RELU, MM, ADD].reduce((sum, index) => sum + cost.opFloorMs(index, 'cpu'), 0);
    expect(floorMs).toBeCloseTo(5.26, 12);
    expect(cost.segmentMs([CONV, BN, RELU, MM, ADD], ['x', 'z'], ['y'], 'cpu')).toBeCloseTo(7.47, 12);
  });
});

describe('CostModel with the whole model measured', () => {
  const measured = (wholeMs: number) =>
    model(
      fixtureModelProfile({
        '1': { ...CPU_COSTS, whole: { medianMs: wholeMs, p10Ms: wholeMs, p90Ms: wholeMs, runs: 5 } },
      }),
    );
  const all = [CONV, BN, RELU, MM, ADD];

  it('prices the whole model as one segment at its measured run, any other segment by the fit', () => {
    expect(measured(6).segmentMs(all, ['x', 'z'], ['y'], 'cpu')).toBe(6);
    expect(measured(6).segmentMs([MM, ADD], ['r', 'z'], ['y'], 'cpu')).toBeCloseTo(
      model().segmentMs([MM, ADD], ['r', 'z'], ['y'], 'cpu'),
      12,
    );
  });

  it('lowers the operators’ floor to the whole run’s fused ratio, so that a bound stays below every plan', () => {
    const cost = measured(6);
    // Launch 0.02 and edges 2 MiB x 0.2 + 1 MiB x 0.3 leave 5.28 ms of the run for 6.75 ms of fused time.
    expect(cost.opFloorMs(MM, 'cpu')).toBeCloseTo((3.5 * 5.28) / 6.75, 12);
    const floorMs = all.reduce((sum, index) => sum + cost.opFloorMs(index, 'cpu'), 0);
    expect(floorMs + 0.02 + 0.7).toBeLessThanOrEqual(6 + 1e-12);
    // A run slower than the fit keeps the fitted ratio.
    expect(measured(9).opFloorMs(MM, 'cpu')).toBeCloseTo(model().opFloorMs(MM, 'cpu'), 12);
  });

  it('keeps the fitted price for a segment smaller than the model, the whole run’s apart', () => {
    const prices = measured(6).opPrices(MM, 'cpu');
    expect(prices.fusedMs).toBeCloseTo(model().opPrices(MM, 'cpu').fusedMs, 12);
    expect(prices.wholeModelMs).toBeCloseTo((3.5 * 5.28) / 6.75, 12);
    // Never above the fitted price, however slow the whole run.
    const slow = measured(9).opPrices(MM, 'cpu');
    expect(slow.wholeModelMs).toBeCloseTo(slow.fusedMs, 12);
  });
});
