import { describe, expect, it } from 'vitest';
import { Rng } from '../common/index.js';
import { CostModel, type CostPool, type ModelProfile } from '../cost/index.js';
import type { GraphIR } from '../graph/index.js';
import { lpThroughputBound } from './lp-bound.js';
import { bestPlacementLambda, SPARE_SLOTS } from './lp-bound-fixture.js';
import type { SearchProblem, SearchTenant } from './problem.js';
import { syntheticProblem } from './problem-fixture.js';
import { timing } from './two-op-fixture.js';

/**
 * The LP bound's soundness by brute force: on small synthetic problems with every cost term of
 * CostModel.segmentMs live, no placement (every assignment of every tenant) carries more than it.
 */

describe('lpThroughputBound against every placement', () => {
  it('is never below the capacity of any placement (brute force, every cost term live)', async () => {
    for (const [seed, kind] of [
      [1, 'branches'],
      [2, 'residual'],
      [3, 'mixed'],
      [4, 'chain'],
    ] as const) {
      const base = syntheticProblem({ tenants: 2, operators: 7, kind, width: 512, batch: 32, seed });
      // A cut fused group dearer than whole; and cheaper, with short waits so that the extra
      // segments of a cut can pay (the bound's cut discount, which a tenant on one pool never gets).
      // Each also with the whole model measured faster than its operators' fitted sum, and slower.
      for (const [splitRatio, wholeRatio] of [
        [1.2, undefined],
        [0.05, undefined],
        [1.2, 0.6],
        [0.05, 0.6],
        [1.2, 1.4],
        [0.05, 1.4],
      ] as const) {
        const tenants = base.tenants.map((tenant, t) =>
          withEveryTerm(tenant, seed * 10 + t, splitRatio < 1 ? 0.01 : 0.3, splitRatio, wholeRatio),
        );
        // The engine's three dispatcher slots, and one, where the slots bind before the pools.
        for (const requestSlots of [3, 1]) {
          const instance = {
            ...base,
            tenants,
            machine: { ...base.machine, cpuSlots: 2, gpuSlots: 1, requestSlots },
          };
          const bound = await lpThroughputBound(instance);
          const best = bestPlacementLambda(instance);
          expect(best).toBeGreaterThan(0);
          expect(bound.lambda).toBeGreaterThanOrEqual(best * (1 - 1e-7));
        }
      }
    }
  });

  it('stays above every placement with a wider CPU thread budget (brute force over three sides)', async () => {
    // The whole model measured faster than its fit, and slower.
    for (const [seed, kind, wholeRatio] of [
      [5, 'branches', 0.6],
      [6, 'chain', 0.6],
      [5, 'branches', 1.4],
      [6, 'chain', 1.4],
    ] as const) {
      const base = syntheticProblem({ tenants: 2, operators: 5, kind, width: 512, batch: 32, seed });
      const tenants = base.tenants.map((tenant, t) =>
        withTwoThreads(withEveryTerm(tenant, seed * 10 + t, 0.05, 1.2, wholeRatio)),
      );
      for (const [gpuSlots, requestSlots] of [
        [1, 3],
        [1, 1],
        [0, SPARE_SLOTS],
      ] as const) {
        const instance: SearchProblem = {
          ...base,
          tenants,
          machine: {
            ...base.machine,
            cpuSlots: 2,
            gpuSlots,
            requestSlots,
            cpuBudgets: [{ threads: 2, slots: 2 }],
          },
        };
        const bound = await lpThroughputBound(instance);
        const best = bestPlacementLambda(instance, 3);
        // Without a GPU, and the dispatcher's slots to spare, the CPU pool binds and the budget is
        // worth having: its prices are what the bound must cover.
        if (gpuSlots === 0) expect(best).toBeGreaterThan(bestPlacementLambda(instance, 2) * 1.2);
        expect(bound.lambda).toBeGreaterThanOrEqual(best * (1 - 1e-7));
      }
    }
  });
});

/**
 * A synthetic tenant re-priced so that every term of CostModel.segmentMs counts: every third
 * operator a convolution, seeded fused groups on the CPU (an operator absorbed into the one before
 * it, the group cheaper whole), and non-zero launch, per-operator, split, edge and per-tensor coefficients.
 */
function withEveryTerm(
  tenant: SearchTenant,
  seed: number,
  waitShare = 0.3,
  splitRatio = 1.2,
  wholeRatio?: number,
): SearchTenant {
  const rng = new Rng(seed);
  const graph: GraphIR = {
    ...tenant.graph,
    ops: tenant.graph.ops.map((op) => (op.index % 3 === 0 ? { ...op, opType: 'Conv' } : op)),
  };
  const profile = tenant.cost.model;
  const cpu = profile.cpu['1'];
  const gpu = profile.gpu;
  if (!cpu || !gpu) throw new Error('the synthetic profile has no CPU or GPU costs');
  const fused: Record<string, ReturnType<typeof timing>> = {};
  const absorbedInto: Record<string, string> = {};
  let head = '';
  for (const op of graph.ops) {
    const solo = cpu.ops[op.id]?.medianMs ?? 0;
    if (head !== '' && rng.bool(0.5)) {
      absorbedInto[op.id] = head;
      fused[op.id] = timing(0);
      fused[head] = timing((fused[head]?.medianMs ?? 0) + 0.4 * solo);
    } else {
      head = op.id;
      fused[op.id] = timing(0.8 * solo);
    }
  }
  const coefficients = {
    intactRatio: 1.15,
    outputMsPerMiB: 2,
    perOpMs: 0.01,
    splitRatio,
    launchMs: 0.02,
    boundaryMsPerMiB: 0.3,
    convEdgeMsPerMiB: 0.5,
    perTensorMs: 0.004,
  };
  const repriced: ModelProfile = {
    ...profile,
    cpu: { '1': { ...cpu, ...coefficients, fused, absorbedInto } },
    gpu: { ...gpu, ...coefficients, boundaryMsPerMiB: 1, convEdgeMsPerMiB: 0 },
  };
  const fitted = new CostModel(graph, tenant.cost.machine, repriced, { cpuThreads: 1 });
  // The whole model's measured run at `wholeRatio` of what its operators' fit prices it.
  const all = graph.ops.map((op) => op.index);
  const wholeOn = (pool: CostPool) =>
    timing((wholeRatio ?? 1) * fitted.segmentMs(all, graph.inputs, graph.outputs, pool));
  if (wholeRatio !== undefined) {
    repriced.cpu['1'] = { ...(repriced.cpu['1'] as typeof cpu), whole: wholeOn('cpu') };
    repriced.gpu = { ...(repriced.gpu as typeof gpu), whole: wholeOn('gpu:0') };
  }
  const priced = new CostModel(graph, tenant.cost.machine, repriced, { cpuThreads: 1 });
  // Workers' waits on the main thread after each run, shorter after longer runs (as measured on
  // the 2-core host), on the scale of this graph's segments (a short run waits `waitShare` of the
  // longest segment): the bound's floors under test. At 0.3, charging every segment the wait of
  // the shortest run breaks the first brute force.
  const longestMs = priced.segmentMsCeiling('cpu');
  const points = [
    { runMs: 0.05 * longestMs, fixedMs: waitShare * longestMs, msPerMiB: 0.5 },
    { runMs: 2 * longestMs, fixedMs: 0.02 * longestMs, msPerMiB: 0.1 },
  ];
  const { machine } = tenant.cost;
  const waiting = { ...machine, cpu: { ...machine.cpu, workerIdle: { points } } };
  return { ...tenant, graph, cost: new CostModel(graph, waiting, repriced, { cpuThreads: 1 }) };
}

/**
 * The tenant with CPU measurements at 2 threads too: every operator 0.1 of its 1-thread time and a
 * launch a quarter of it. Far better than threads scale (a bound must hold whatever the prices),
 * so a budget of 2 threads on 2 slots saves latency and pool time both: a bound priced at 1 thread
 * alone falls below such plans (checked by hand: it then fails this test).
 */
function withTwoThreads(tenant: SearchTenant): SearchTenant {
  const profile = tenant.cost.model;
  const one = profile.cpu['1'];
  if (!one) throw new Error('no 1-thread CPU costs');
  const scaled = (entries: Record<string, ReturnType<typeof timing>>) =>
    Object.fromEntries(Object.entries(entries).map(([id, t]) => [id, timing(0.1 * t.medianMs)]));
  const two = {
    ...one,
    ops: scaled(one.ops),
    fused: scaled(one.fused),
    whole: { ...one.whole, ...timing(0.1 * one.whole.medianMs) },
    launchMs: (one.launchMs ?? 0) / 4,
  };
  const repriced: ModelProfile = { ...profile, cpu: { ...profile.cpu, '2': two } };
  return { ...tenant, cost: new CostModel(tenant.graph, tenant.cost.machine, repriced, { cpuThreads: 1 }) };
}
