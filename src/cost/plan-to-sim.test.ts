import { describe, expect, it } from 'vitest';
import { type Placement, segmentGraph } from '../partition/index.js';
import {
  CPU_COSTS,
  fixtureGraph,
  fixtureMachine,
  fixtureModelProfile,
  processorCosts,
} from './cost-fixture.js';
import { CostModel } from './cost-model.js';
import { simTenant, type TenantLoad } from './plan-to-sim.js';

const graph = fixtureGraph();
const cost = new CostModel(graph, fixtureMachine(), fixtureModelProfile(), { cpuThreads: 1 });
const load: TenantLoad = { name: 'vad', sloMs: 20, weight: 2, arrival: { kind: 'poisson', ratePerS: 50 } };

/** The machine's hand-off into or out of a worker: 0.01 ms + 0.1 ms/MiB. */
const handoff = (mib: number) => 0.01 + 0.1 * mib;
const hostToDevice = (mib: number) => 0.02 + 0.5 * mib;
const deviceToHost = (mib: number) => 0.03 + 0.6 * mib;

function segments(placement: Placement) {
  return segmentGraph(graph, placement);
}

describe('simTenant', () => {
  it('prices a CPU -> GPU -> CPU-lane plan segment by segment', () => {
    const plan = segments({ conv: 'cpu', bn: 'cpu', relu: 'gpu:0', mm: 'gpu:0', add: 'cpu:1' });
    expect(plan.map(({ processor, ops, inputs, outputs }) => ({ processor, ops, inputs, outputs }))).toEqual([
      { processor: 'cpu', ops: [0, 1], inputs: ['x'], outputs: ['b1'] },
      { processor: 'gpu:0', ops: [2, 3], inputs: ['b1'], outputs: ['mm_out'] },
      { processor: 'cpu:1', ops: [4], inputs: ['mm_out', 'z'], outputs: ['y'] },
    ]);
    const tenant = simTenant(cost, plan, load);
    expect(tenant).toMatchObject(load);
    const [first, second, third] = tenant.segments;
    if (!first || !second || !third) throw new Error('three segments expected');

    // CPU: dispatch 0.05 + x (1 MiB) from the request into the worker.
    expect(first).toMatchObject({ id: 0, pool: 'cpu', deps: [], interferenceClass: 'conv' });
    expect(first.handoffMs).toBeCloseTo(0.05 + handoff(1), 12);
    // launch 0.02 + 1.5 x (conv 2 + bn 1) cut from relu + 2 ops x 0.01 + 2 MiB x 0.2 + x at the conv 1 MiB x 0.3
    expect(first.durationMs).toBeCloseTo(0.02 + 4.5 + 0.02 + 0.4 + 0.3, 12);

    // GPU: dispatch 0.07 + b1 (1 MiB) out of the CPU worker, into the GPU's, and onto the device.
    expect(second).toMatchObject({ id: 1, pool: 'gpu:0', deps: [0], interferenceClass: 'matmul' });
    expect(second.handoffMs).toBeCloseTo(0.07 + 2 * handoff(1) + hostToDevice(1), 12);
    // fitted launch 0.04 + relu 0.05 + mm 0.4 (nothing fused on the GPU, so nothing cut)
    expect(second.durationMs).toBeCloseTo(0.49, 12);

    // A CPU lane runs on the CPU pool: mm_out (0.5 MiB) back from the device, z from the request.
    expect(third).toMatchObject({ id: 2, pool: 'cpu', deps: [1], interferenceClass: 'elementwise' });
    expect(third.handoffMs).toBeCloseTo(0.05 + 2 * handoff(0.5) + deviceToHost(0.5) + handoff(0.5), 12);
    // launch 0.02 + add 0.25 (its own group, whole) + (0.5 + 0.5 + 0.5) MiB x 0.2
    expect(third.durationMs).toBeCloseTo(0.57, 12);

    // y (0.5 MiB) comes out of a CPU worker.
    expect(tenant.outputMs).toBeCloseTo(handoff(0.5), 12);
  });

  it('copies request inputs onto the device for a GPU segment, and GPU outputs back', () => {
    const plan = segments({ conv: 'cpu', bn: 'cpu', relu: 'cpu', mm: 'cpu', add: 'gpu:0' });
    expect(plan.map(({ inputs }) => inputs)).toEqual([['x'], ['mm_out', 'z']]);
    const tenant = simTenant(cost, plan, load);
    const gpu = tenant.segments[1];
    expect(gpu).toMatchObject({ pool: 'gpu:0', deps: [0] });
    expect(gpu?.handoffMs).toBeCloseTo(
      0.07 + (2 * handoff(0.5) + hostToDevice(0.5)) + (handoff(0.5) + hostToDevice(0.5)),
      12,
    );
    expect(tenant.outputMs).toBeCloseTo(handoff(0.5) + deviceToHost(0.5), 12);
  });

  it('has one dependency-free segment and only the request hand-offs for a one-segment plan', () => {
    const tenant = simTenant(
      cost,
      segments({ conv: 'cpu', bn: 'cpu', relu: 'cpu', mm: 'cpu', add: 'cpu' }),
      load,
    );
    expect(tenant.segments).toHaveLength(1);
    const only = tenant.segments[0];
    expect(only?.deps).toEqual([]);
    expect(only?.handoffMs).toBeCloseTo(0.05 + handoff(1) + handoff(0.5), 12);
    // Whole: fused 6.75 + launch 0.02 + 2 MiB x 0.2 + 1 MiB x 0.3 (nothing cut: no per-operator term)
    expect(only?.durationMs).toBeCloseTo(7.47, 12);
    expect(tenant.outputMs).toBeCloseTo(handoff(0.5), 12);
  });

  it('charges the CPU workers’ wait on the main thread after each run, by its time and the tensors it hands', () => {
    const machine = fixtureMachine();
    const points = [
      { runMs: 1, fixedMs: 0.1, msPerMiB: 0.2 },
      { runMs: 5, fixedMs: 0.3, msPerMiB: 0.8 },
    ];
    const waiting = new CostModel(
      graph,
      { ...machine, cpu: { ...machine.cpu, workerIdle: { points } } },
      fixtureModelProfile(),
      { cpuThreads: 1 },
    );
    // Between the points, interpolated in the run's time; beyond them, held.
    expect(waiting.workerIdleMs(3, 0)).toBeCloseTo(0.2, 12);
    expect(waiting.workerIdleMs(3, 1 << 20)).toBeCloseTo(0.2 + 0.5, 12);
    expect(waiting.workerIdleMs(0.2, 1 << 20)).toBeCloseTo(0.1 + 0.2, 12);
    expect(waiting.workerIdleMs(60, 1 << 20)).toBeCloseTo(0.3 + 0.8, 12);
    // Whole on the CPU (a 7.47 ms run): the request's x (1 MiB) and z (0.5 MiB) in, y (0.5 MiB) out.
    const whole = segments({ conv: 'cpu', bn: 'cpu', relu: 'cpu', mm: 'cpu', add: 'cpu' });
    expect(simTenant(waiting, whole, load).workerIdleMs).toBeCloseTo(0.3 + 0.8 * 2, 12);
    // Split three ways: a 5.26 ms run handing x in and b1 out, then two short ones (0.49 and 0.57
    // ms) handing b1 in and mm_out out, and mm_out and z in and y out.
    const split = segments({ conv: 'cpu', bn: 'cpu', relu: 'gpu:0', mm: 'gpu:0', add: 'cpu:1' });
    expect(simTenant(waiting, split, load).workerIdleMs).toBeCloseTo(
      0.3 + 0.8 * 2 + (0.1 + 0.2 * 1.5) + (0.1 + 0.2 * 1.5),
      12,
    );
    // The bound's floors: over any run, the lowest fixed part and slope (the request's own 2 MiB).
    expect(waiting.workerIdleFixedFloorMs()).toBeCloseTo(0.1, 12);
    expect(waiting.workerIdleBytesFloorMs()).toBeCloseTo(0.2 * 2, 12);
    // Over runs of at most 3 ms, the same here: this profile's short runs wait least.
    expect(waiting.workerIdleFixedFloorMs(3)).toBeCloseTo(0.1, 12);
    // Not measured (the fixture's profile): none.
    expect(simTenant(cost, whole, load).workerIdleMs).toBe(0);
    expect(cost.workerIdleFixedFloorMs()).toBe(0);
    expect(cost.workerIdleBytesFloorMs()).toBe(0);
  });

  it('prices a CPU lane with a thread budget at that many threads, holding its slots', () => {
    // At 2 threads every operator takes half its 1-thread time; the coefficients are the same.
    const { ops: _ops, fused: _fused, whole: _whole, sumOfOpsMs: _sum, ...coefficients } = CPU_COSTS;
    const twoThreads = processorCosts(
      { conv: 1, bn: 0.5, relu: 0.25, mm: 2, add: 0.125 },
      { bn: 1.5, mm: 1.75, add: 0.125 },
      coefficients,
    );
    const both = new CostModel(
      graph,
      fixtureMachine(),
      fixtureModelProfile({ '1': CPU_COSTS, '2': twoThreads }),
      {
        cpuThreads: 1,
      },
    );
    expect(both.measuredCpuThreads).toEqual([1, 2]);
    expect(both.withCpuThreads(1)).toBe(both);
    expect(both.withCpuThreads(2)).toBe(both.withCpuThreads(2));
    const plan = segments({ conv: 'cpu', bn: 'cpu', relu: 'gpu:0', mm: 'gpu:0', add: 'cpu:1' });
    const budgets = new Map([['cpu:1' as const, { threads: 2, slots: 2 }]]);
    const [first, , third] = simTenant(both, plan, load, budgets).segments;
    // The default lane as before, on one slot.
    expect(first?.durationMs).toBeCloseTo(0.02 + 4.5 + 0.02 + 0.4 + 0.3, 12);
    expect(first?.slots).toBeUndefined();
    // launch 0.02 + add 0.125 + 1.5 MiB x 0.2, on both slots.
    expect(third?.durationMs).toBeCloseTo(0.445, 12);
    expect(third?.slots).toBe(2);
    // A budget the profile never measured is refused, naming what it has.
    expect(() => both.withCpuThreads(4)).toThrow(
      /no CPU measurements at 4 intra-op thread\(s\) \(it has 1, 2\)/,
    );
    expect(() => simTenant(cost, plan, load, budgets)).toThrow(/at 2 intra-op/);
  });

  it('returns nothing for outputs no segment produces', () => {
    const tenant = simTenant(cost, [], load);
    expect(tenant.segments).toEqual([]);
    expect(tenant.outputMs).toBe(0);
  });
});
