import { describe, expect, it } from 'vitest';
import { Code } from '../common/index.js';
import { CostModel, linear } from '../cost/index.js';
import type { GraphIR } from '../graph/index.js';
import { inThreadLpSolver, offThreadLpSolver } from '../solver/index.js';
import { boundLpText, lpThroughputBound, solveLpBound } from './lp-bound.js';
import { bestPlacementLambda, boundProblem } from './lp-bound-fixture.js';
import { ON_CPU, ON_GPU, type SearchTenant } from './problem.js';
import { syntheticProblem } from './problem-fixture.js';
import {
  handOp,
  handTenant,
  handTensor,
  TWO_OP_CPU_MS,
  TWO_OP_GPU_MS,
  TWO_OP_GRAPH,
  timing,
  twoOpTenant,
} from './two-op-fixture.js';

/** Requests/s a pool of `slots` sustains when each request keeps it busy `ms`. */
const saturationPerS = (slots: number, ms: number): number => (1000 * slots) / ms;

describe('lpThroughputBound', () => {
  // Two operators: A 4 ms CPU / 1 ms GPU, B 1 ms CPU / 2 ms GPU, a 0.5 ms launch per segment;
  // weight 2, 100 requests/s. T below is a pool's busy ms per request at λ = 10 / T.
  it('matches the hand-computed optimum and bounds all-CPU and all-GPU', async () => {
    const bound = await lpThroughputBound(boundProblem([twoOpTenant()], 1, 1));
    // A on the GPU and B on the CPU busy each pool 1 + 0.5 ms. Moving a part α of A back to the
    // CPU costs it 4α and saves the GPU 1.5α (its launch shrinks with it): no gain. λ = 10 / 1.5.
    expect(bound.lambda).toBeCloseTo(10 / 1.5, 6);
    expect(bound.boundWeightedThroughputPerS).toBeCloseTo(200 * (10 / 1.5), 4);
    expect(bound.offeredBoundPerS).toBeCloseTo(200, 6);
    const cpuMs = TWO_OP_CPU_MS[0] + TWO_OP_CPU_MS[1] + 0.5;
    const gpuMs = TWO_OP_GPU_MS[0] + TWO_OP_GPU_MS[1] + 0.5;
    expect(bound.boundWeightedThroughputPerS).toBeGreaterThanOrEqual(2 * saturationPerS(1, cpuMs));
    expect(bound.boundWeightedThroughputPerS).toBeGreaterThanOrEqual(2 * saturationPerS(1, gpuMs));
  });

  it('uses fractional splits: two CPU slots take part of A', async () => {
    // B on the CPU; a part a of A on the GPU: CPU 4(1-a) + 1 + 0.5 <= 2T, GPU a + 0.5a <= T.
    // Balanced at a = 5.5 / 7: T = 1.5a.
    const bound = await lpThroughputBound(boundProblem([twoOpTenant()], 2, 1));
    expect(bound.lambda).toBeCloseTo(10 / (1.5 * (5.5 / 7)), 6);
  });

  it('falls to the all-CPU saturation when the GPU is pinned away or absent', async () => {
    const allCpu = 2 * saturationPerS(1, 5.5);
    const pinned = await lpThroughputBound(boundProblem([twoOpTenant({ gpuAllowed: [false, false] })], 1, 1));
    expect(pinned.boundWeightedThroughputPerS).toBeCloseTo(allCpu, 4);
    const noGpu = await lpThroughputBound(boundProblem([twoOpTenant()], 1, 0));
    expect(noGpu.boundWeightedThroughputPerS).toBeCloseTo(allCpu, 4);
    // B pinned, A free: A to the GPU, B on the CPU, 1.5 ms each, as when both are free.
    const half = await lpThroughputBound(boundProblem([twoOpTenant({ gpuAllowed: [true, false] })], 1, 1));
    expect(half.lambda).toBeCloseTo(10 / 1.5, 6);
  });

  it('shares the pools among tenants in proportion to their rates', async () => {
    // Two copies at 100/s each: both pools carry twice the work, λ halves, the bound stays.
    const bound = await lpThroughputBound(boundProblem([twoOpTenant(), twoOpTenant()], 1, 1));
    expect(bound.lambda).toBeCloseTo(10 / 3, 6);
    expect(bound.boundWeightedThroughputPerS).toBeCloseTo(400 * (10 / 3), 4);
  });

  it('charges the tensors every split must pass at its segment edges', async () => {
    // 1 ms per MiB of boundary tensor on both pools, every tensor 1 MiB. All-CPU busies the CPU
    // 4 + 1 + 0.5 + 2 = 7.5 ms (reading `in`, writing `out`), all-GPU the GPU 5.5 ms, A on the GPU
    // and B on the CPU each pool 3.5 ms (`t` crosses: written on one, read on the other). The LP's
    // best is a part a of the requests all-GPU, the rest all-CPU: 7.5(1 - a) = 5.5a, T = 41.25 / 13.
    // Without the edges it would claim the 1.5-ms split of the first test.
    const edges = { boundaryMsPerMiB: 1 };
    const bound = await lpThroughputBound(boundProblem([twoOpTenant({ cpu: edges, gpu: edges })], 1, 1));
    expect(bound.lambda).toBeCloseTo(10 / (41.25 / 13), 6);
  });

  it('charges a split its crossing at both ends, and convolutions their edge term', async () => {
    // At 0.25 ms per MiB, A on the GPU and B on the CPU busy each pool 1.5 + 0.5 = 2 ms: the GPU
    // reads `in` and writes `t`, the CPU reads `t` and writes `out`. Every other placement or mix
    // loads a pool more (all-CPU 6 ms, all-GPU 4 ms), so λ = 10 / 2.
    const edges = { boundaryMsPerMiB: 0.25 };
    const boundary = await lpThroughputBound(boundProblem([twoOpTenant({ cpu: edges, gpu: edges })], 1, 1));
    expect(boundary.lambda).toBeCloseTo(5, 6);
    // The same through the convolution term, A and B both convolutions.
    const conv = { convEdgeMsPerMiB: 0.25 };
    const convolutions = await lpThroughputBound(
      boundProblem([asConvolutions(twoOpTenant({ cpu: conv, gpu: conv }))], 1, 1),
    );
    expect(convolutions.lambda).toBeCloseTo(5, 6);
  });

  it('charges a fused operator its split price where its group is cut', async () => {
    // On the CPU, B is fused into A: together 3 ms, B's share 0. B alone on the CPU runs unfused
    // (1 ms), so A on the GPU and B on the CPU cost 1.5 ms each; pricing B at its fused 0 would
    // let part of A move back and claim λ = 10 / (1.5 · 3.5 / 4.5).
    const fused = {
      fused: { A: timing(3), B: timing(0) },
      absorbedInto: { B: 'A' },
    };
    const bound = await lpThroughputBound(boundProblem([twoOpTenant({ cpu: fused })], 1, 1));
    expect(bound.lambda).toBeCloseTo(10 / 1.5, 6);
  });

  it("charges the workers' waits per segment and per MiB handed, crossings at both ends", async () => {
    // Each run leaves its worker waiting 0.25 ms, plus 0.5 ms per MiB handed in or out (every
    // tensor is 1 MiB). All-GPU: GPU 1 + 2 + 0.5 = 3.5 ms, CPU the one wait, 0.25 + 0.5 · 2 = 1.25.
    // A on the GPU and B on the CPU: GPU 1.5; CPU 1 + 0.5 and two waits, each handing 2 MiB
    // (`t` crosses: out of A's segment, into B's), 4 ms. The LP mixes the two: a part m of the
    // requests split, 3.5 - 2m = 1.25 + 2.75m. Without `t`'s two hand-offs it would claim m = 0.6.
    const tenant = twoOpTenant();
    const { machine } = tenant.cost;
    const waiting = {
      ...machine,
      cpu: { ...machine.cpu, workerIdle: { points: [{ runMs: 1, fixedMs: 0.25, msPerMiB: 0.5 }] } },
    };
    const priced = {
      ...tenant,
      cost: new CostModel(tenant.graph, waiting, tenant.cost.model, { cpuThreads: 1 }),
    };
    const instance = boundProblem([priced], 1, 1);
    const bound = await lpThroughputBound(instance);
    const m = 2.25 / 4.75;
    expect(bound.lambda).toBeCloseTo(10 / (3.5 - 2 * m), 6);
    expect(bestPlacementLambda(instance)).toBeCloseTo(10 / 3.5, 6);
  });

  it('gives a cut fused group its cheaper split price only where the tenant runs on both pools', async () => {
    // On the CPU, A heads a group with B: A's fused share 5 ms (B's 0), but cut A costs half its
    // 4 ms. On the GPU A costs 10 ms, B 0.1. With B on the GPU the group is cut: the CPU runs A in
    // 2 + 0.5 ms, the GPU B in 0.6 ms, λ = 10 / 2.5. Charging A its fused 5 ms there would put the
    // bound below that placement.
    const cutCheaper = {
      cpu: { fused: { A: timing(5), B: timing(0) }, absorbedInto: { B: 'A' }, splitRatio: 0.5 },
      gpu: { ops: { A: timing(10), B: timing(0.1) }, sumOfOpsMs: 10.1 },
    };
    const instance = boundProblem([twoOpTenant(cutCheaper)], 1, 1);
    const bound = await lpThroughputBound(instance);
    expect(bestPlacementLambda(instance)).toBeCloseTo(10 / 2.5, 6);
    expect(bound.lambda).toBeGreaterThanOrEqual(10 / 2.5);
    // Fractionally a little more (part of A on the GPU, part of B back on the CPU), not much.
    expect(bound.lambda).toBeLessThan(10 / 2);
    // All on the CPU the request is one segment, whose group is never cut: 5 + 0.5 ms.
    const cpuOnly = await lpThroughputBound(
      boundProblem([twoOpTenant({ ...cutCheaper, gpuAllowed: [false, false] })], 1, 1),
    );
    expect(cpuOnly.lambda).toBeCloseTo(10 / 5.5, 6);
  });

  it("prices the whole model's measured run only where the tenant runs as one segment", async () => {
    // The CPU ran the whole model in 3 ms: its operators' 5 ms at half the fitted ratio, beside the
    // 0.5 ms launch. All on the CPU, a request costs that run.
    const wholeRun = { whole: timing(3) };
    const cpuOnly = await lpThroughputBound(
      boundProblem([twoOpTenant({ cpu: wholeRun, gpuAllowed: [false, false] })], 1, 1),
    );
    expect(cpuOnly.lambda).toBeCloseTo(10 / 3, 6);
    // With A on the GPU, B runs in a segment of its own at its fitted 1 ms: CPU 1.5 ms, GPU 1.5,
    // λ = 10 / 1.5. Pricing B at the whole run's ratio (0.5 ms) would let the LP keep part of A on
    // the CPU and claim 10 / 1.2857.
    const instance = boundProblem([twoOpTenant({ cpu: wholeRun, gpuAllowed: [true, false] })], 1, 1);
    const bound = await lpThroughputBound(instance);
    expect(bestPlacementLambda(instance)).toBeCloseTo(10 / 1.5, 6);
    expect(bound.lambda).toBeCloseTo(10 / 1.5, 6);
    // A whole run slower than the fit (7 ms against 5.5) is what a request wholly on the CPU pays:
    // one segment, as the graph is connected and the machine has no CPU lanes.
    const slowRun = await lpThroughputBound(
      boundProblem([twoOpTenant({ cpu: { whole: timing(7) }, gpuAllowed: [false, false] })], 1, 1),
    );
    expect(slowRun.lambda).toBeCloseTo(10 / 7, 6);
    // Its worker waits as long as a 3 ms run waits: 0.5 ms after a 1 ms run, 0.1 after 10 ms,
    // 0.411 after 3 (the floors over any run would say 0.1). CPU 3.411 ms a request.
    const tenant = twoOpTenant({ cpu: wholeRun, gpuAllowed: [false, false] });
    const points = [
      { runMs: 1, fixedMs: 0.5, msPerMiB: 0 },
      { runMs: 10, fixedMs: 0.1, msPerMiB: 0 },
    ];
    const { machine } = tenant.cost;
    const waiting = { ...machine, cpu: { ...machine.cpu, workerIdle: { points } } };
    const waited = await lpThroughputBound(
      boundProblem(
        [{ ...tenant, cost: new CostModel(tenant.graph, waiting, tenant.cost.model, { cpuThreads: 1 }) }],
        1,
        1,
      ),
    );
    expect(waited.lambda).toBeCloseTo(10 / (3 + 0.5 - (2 / 9) * 0.4), 6);
  });

  it('charges a tensor that skips past the other pool at both ends on its own pool', async () => {
    // A residual: A writes `a`, which B and C read; C reads B's `b` too. B is pinned to the CPU and
    // A and C cost the CPU so much that both run on the GPU, in two segments (one would depend on
    // B both ways). Each GPU segment pays 1 ms per MiB at its edges: A's reads `in` and writes `a`,
    // C's reads `a` and `b` and writes `out`. GPU: ops 2 + launches 1 + edges 5 = 8 ms, λ = 10 / 8.
    // Without `a` read again into C's segment it would be 7 ms.
    const graph: GraphIR = {
      ...TWO_OP_GRAPH,
      graphName: 'residual',
      ops: [handOp(0, 'A', ['in'], ['a']), handOp(1, 'B', ['a'], ['b']), handOp(2, 'C', ['a', 'b'], ['out'])],
      tensors: {
        in: handTensor('in', 'input', null, [0]),
        a: handTensor('a', 'intermediate', 0, [1, 2]),
        b: handTensor('b', 'intermediate', 1, [2]),
        out: handTensor('out', 'intermediate', 2, []),
      },
    };
    const tenant = handTenant(
      graph,
      { A: 1e6, B: 1, C: 1e6 },
      { A: 1, B: 2, C: 1 },
      { gpu: { boundaryMsPerMiB: 1 }, gpuAllowed: [true, false, true] },
    );
    const instance = boundProblem([tenant], 1, 1);
    const best = bestPlacementLambda(instance);
    expect(best).toBeCloseTo(10 / 8, 6);
    const bound = await lpThroughputBound(instance);
    expect(bound.lambda).toBeGreaterThanOrEqual(best * (1 - 1e-9));
    // The CPU's slack buys a sliver of A or C there, no more.
    expect(bound.lambda).toBeLessThan(best * 1.001);
  });

  it('rounds its placement to whole operators: each where it runs at least half its share', async () => {
    // The hand-computed optimum: A on the GPU, B on the CPU (first test).
    const { rounded } = await solveLpBound(boundProblem([twoOpTenant()], 1, 1));
    expect(rounded.map((sides) => [...sides])).toEqual([[ON_GPU, ON_CPU]]);
    const pinned = await solveLpBound(boundProblem([twoOpTenant({ gpuAllowed: [false, false] })], 1, 1));
    expect(pinned.rounded.map((sides) => [...sides])).toEqual([[ON_CPU, ON_CPU]]);
  });

  it('holds each request in a dispatcher slot for at least its path through the engine', async () => {
    // All on the CPU (pinned), one slot: a request takes at least A + B (5 ms), one dispatch and
    // one launch, and the engine's own path (the request's 2 MiB and the output's hand-off). By
    // Little's law λ · 100/s · that <= 1000 ms/s: below the CPU's own λ = 10 / 5.5.
    const tenant = twoOpTenant({ gpuAllowed: [false, false] });
    const { cpu } = tenant.cost.machine;
    const requestMs = linear(cpu.request, 2 * (1 << 20)) + linear(cpu.handoff, 1 << 20);
    const latencyMs = 5 + cpu.dispatchMs + 0.5 + requestMs;
    const bound = await lpThroughputBound(boundProblem([tenant], 1, 1, 1));
    expect(bound.lambda).toBeCloseTo(10 / latencyMs, 6);
    expect(bound.lambda).toBeLessThan(10 / 5.5);
  });

  it('counts the hand-off where a request changes processor in its slot time', async () => {
    // Pools to spare, one slot: λ = 10 / the shortest request. A on the GPU and B on the CPU
    // (1 + 1 ms, two dispatches and launches, t handed back from the GPU) beats all-GPU (3 ms,
    // one of each) by less than the hand-off: a bound that missed it would claim more.
    const tenant = twoOpTenant();
    const { cpu, gpu } = tenant.cost.machine;
    if (!gpu) throw new Error('the fixture machine has a GPU');
    const requestMs = linear(cpu.request, 2 * (1 << 20)) + linear(cpu.handoff, 1 << 20);
    const allGpuMs = 3 + gpu.dispatchMs + 0.5 + requestMs;
    const splitMs =
      2 + gpu.dispatchMs + cpu.dispatchMs + 1 + tenant.cost.boundaryMs(1 << 20, 'gpu:0', 'cpu') + requestMs;
    expect(splitMs).toBeLessThan(allGpuMs);
    const bound = await lpThroughputBound(boundProblem([tenant], 8, 8, 1));
    expect(bound.lambda).toBeCloseTo(10 / splitMs, 6);
  });

  it('bounds at 0 where no load fits: a tenant pinned to a CPU with no slots', async () => {
    // Written with λ at 1, this LP has no solution: HiGHS says Infeasible, which is λ = 0.
    const { bound, rounded } = await solveLpBound(
      boundProblem([twoOpTenant({ gpuAllowed: [false, false] })], 0, 1),
    );
    expect(bound.lambda).toBe(0);
    expect(bound.boundWeightedThroughputPerS).toBe(0);
    expect(rounded.map((sides) => [...sides])).toEqual([[ON_CPU, ON_CPU]]);
    // With the GPU allowed, the CPU's share is forced to 0 instead, and λ is what the GPU carries.
    const gpuOnly = await lpThroughputBound(boundProblem([twoOpTenant()], 0, 1));
    expect(gpuOnly.lambda).toBeGreaterThan(0);
  });

  it('leaves out the capacity of unbounded slots', async () => {
    // The dispatcher's slots unbounded: the pools alone bound λ, as with slots to spare.
    const unbounded = await lpThroughputBound(boundProblem([twoOpTenant()], 1, 1, Number.POSITIVE_INFINITY));
    const spare = await lpThroughputBound(boundProblem([twoOpTenant()], 1, 1, 1e9));
    expect(unbounded.lambda).toBeCloseTo(10 / 1.5, 6);
    expect(unbounded.lambda).toBeCloseTo(spare.lambda, 9);
  });

  it('refuses a problem past its size limit with RESOURCE_EXHAUSTED', async () => {
    await expect(
      lpThroughputBound(boundProblem([twoOpTenant()], 1, 1), { maxVariables: 2 }),
    ).rejects.toMatchObject({ code: Code.ResourceExhausted });
  });

  it('bounds a synthetic multi-tenant problem, soundly for its unfused analytic profile', async () => {
    const synthetic = syntheticProblem({ tenants: 3, operators: 20, seed: 5, pinnedFraction: 0.2 });
    const bound = await lpThroughputBound(synthetic);
    expect(bound.status).toBe('Optimal');
    expect(bound.lambda).toBeGreaterThan(0);
    expect(Number.isFinite(bound.boundWeightedThroughputPerS)).toBe(true);
    const gpuless = await lpThroughputBound({ ...synthetic, machine: { cpuSlots: 2, gpuSlots: 0 } });
    expect(gpuless.boundWeightedThroughputPerS).toBeLessThanOrEqual(bound.boundWeightedThroughputPerS + 1e-6);
  });

  it('writes, as boundLpText, the LP it solves', async () => {
    const synthetic = syntheticProblem({ tenants: 2, operators: 12, seed: 3, pinnedFraction: 0.1 });
    const solved: string[] = [];
    await solveLpBound(
      synthetic,
      {},
      {
        solve: (lpText, options) => {
          solved.push(lpText);
          return inThreadLpSolver.solve(lpText, options);
        },
        cancel: () => undefined,
      },
    );
    expect(solved).toEqual([boundLpText(synthetic)]);
  });

  it("solves in HiGHS's worker, compiled without V8's optimising tier, to the same bits as here", async () => {
    const synthetic = syntheticProblem({ tenants: 3, operators: 40, seed: 7, pinnedFraction: 0.1 });
    const there = await solveLpBound(
      synthetic,
      {},
      offThreadLpSolver({ timeoutMs: 60_000, label: 'LP bound' }),
    );
    const here = await solveLpBound(synthetic);
    expect(there.bound.status).toBe('Optimal');
    expect(there).toEqual(here);
  });
});

/** The tenant with every operator a convolution. */
function asConvolutions(tenant: SearchTenant): SearchTenant {
  const graph: GraphIR = { ...tenant.graph, ops: tenant.graph.ops.map((op) => ({ ...op, opType: 'Conv' })) };
  return {
    ...tenant,
    graph,
    cost: new CostModel(graph, tenant.cost.machine, tenant.cost.model, { cpuThreads: 1 }),
  };
}
