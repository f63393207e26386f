import { describe, expect, it } from 'vitest';
import { modelLevelBaseline } from './baselines.js';
import { planSearch } from './plan-search.js';
import { ON_CPU, ON_GPU, type SearchProblem } from './problem.js';
import { SimObjective } from './sim-objective.js';
import { alternateName, searchSplits, splitAssignment, splitProblem } from './split-routes.js';
import { handGraph, handTenant } from './two-op-fixture.js';

/**
 * A GPU-bound tenant (`vision`: 2 ms on the GPU, 40 on the CPU) beside a CPU-friendly one
 * (`audio`: 1 ms on the CPU, 3 on the GPU) on one CPU slot and one GPU. Whole on their best
 * processors, audio saturates the CPU while vision leaves most of the GPU idle: a share of audio's
 * requests on the GPU uses that slack, which no placement of whole requests can.
 */
function slackProblem(): SearchProblem {
  const vision = handTenant(
    handGraph('vision', [['V', ['in'], ['out']]]),
    { V: 40 },
    { V: 2 },
    {
      weight: 1,
      ratePerS: 10,
    },
  );
  const audio = handTenant(
    handGraph('audio', [['W', ['in'], ['out']]]),
    { W: 1 },
    { W: 3 },
    {
      weight: 1,
      ratePerS: 100,
    },
  );
  return {
    tenants: [vision, audio],
    machine: { cpuSlots: 1, gpuSlots: 1 },
    objective: 'throughput',
    seed: 1,
  };
}

describe('splitProblem', () => {
  it('runs a split tenant at its remaining share and adds its alternate after every tenant', () => {
    const problem = slackProblem();
    const split = splitProblem(problem, [{ tenant: 1, sides: Uint8Array.of(ON_GPU), share: 0.25 }]);
    expect(split.tenants.map((tenant) => [tenant.name, tenant.ratePerS])).toEqual([
      ['vision', 10],
      ['audio', 75],
      [alternateName('audio'), 25],
    ]);
    expect(split.tenants[2]?.graph).toBe(problem.tenants[1]?.graph);
    const weightedRate = (p: SearchProblem) => p.tenants.reduce((sum, t) => sum + t.weight * t.ratePerS, 0);
    expect(weightedRate(split)).toBeCloseTo(weightedRate(problem), 9);
  });

  it("splits a tenant's weight by share under the latency objective, a sum of weighted means", () => {
    const problem: SearchProblem = { ...slackProblem(), objective: 'latency' };
    const split = splitProblem(problem, [{ tenant: 1, sides: Uint8Array.of(ON_GPU), share: 0.25 }]);
    expect(split.tenants.map((tenant) => tenant.weight)).toEqual([1, 0.75, 0.25]);
    // Throughput keeps each route's weight: its sum is weight times rate.
    const throughput = splitProblem(slackProblem(), [
      { tenant: 1, sides: Uint8Array.of(ON_GPU), share: 0.25 },
    ]);
    expect(throughput.tenants.map((tenant) => tenant.weight)).toEqual([1, 1, 1]);
  });

  it('appends the alternates to the assignment in the same order', () => {
    const own = [Uint8Array.of(ON_GPU), Uint8Array.of(ON_CPU)];
    const alternate = Uint8Array.of(ON_GPU);
    expect(splitAssignment(own, [{ tenant: 1, sides: alternate, share: 0.5 }])).toEqual([...own, alternate]);
  });
});

describe('searchSplits', () => {
  it('hands a share of the CPU-bound tenant to the GPU, beating every plan of whole requests', () => {
    const problem = slackProblem();
    const judge = new SimObjective(problem);
    const whole = modelLevelBaseline(judge);
    expect([...(whole.assignment[0] ?? [])]).toEqual([ON_GPU]);
    expect([...(whole.assignment[1] ?? [])]).toEqual([ON_CPU]);
    const found = searchSplits(judge, whole.assignment);
    expect(found.splits).toHaveLength(1);
    const [split] = found.splits;
    expect(split?.tenant).toBe(1);
    expect([...(split?.sides ?? [])]).toEqual([ON_GPU]);
    expect(split?.share).toBeGreaterThan(0);
    expect(split?.share).toBeLessThan(1);
    // Every whole-request plan is one of four here: the split beats them all.
    const plans = [ON_CPU, ON_GPU].flatMap((v) =>
      [ON_CPU, ON_GPU].map((a) => [Uint8Array.of(v), Uint8Array.of(a)]),
    );
    for (const plan of plans) expect(found.score).toBeGreaterThan(judge.score(plan));
    // The score is the split problem's own, and beats the plan unsplit on the same arrivals.
    const splitAt = splitAssignment(whole.assignment, found.splits);
    expect(found.judge?.score(splitAt)).toBe(found.score);
    const unsplit = splitAssignment(whole.assignment, [
      { ...(split as NonNullable<typeof split>), sides: Uint8Array.of(ON_CPU) },
    ]);
    expect(found.score).toBeGreaterThan(found.judge?.score(unsplit) ?? Number.POSITIVE_INFINITY);
    // It sustains more load, not only more analytic capacity (the score's tie-break).
    expect(found.judge?.loadScale(splitAt)).toBeGreaterThan(judge.loadScale(whole.assignment));
  });

  it('gives the same splits for the same problem and seed', () => {
    const whole = modelLevelBaseline(new SimObjective(slackProblem()));
    const first = searchSplits(new SimObjective(slackProblem()), whole.assignment);
    const second = searchSplits(new SimObjective(slackProblem()), whole.assignment);
    expect(second.score).toBe(first.score);
    expect(second.splits).toEqual(first.splits);
  });

  it('finds none where every alternate overloads the pool it moves to', () => {
    // Audio on the GPU costs 30 times its CPU time: no share of it pays.
    const base = slackProblem();
    const problem: SearchProblem = {
      ...base,
      tenants: [
        base.tenants[0] as SearchProblem['tenants'][number],
        handTenant(
          handGraph('audio', [['W', ['in'], ['out']]]),
          { W: 1 },
          { W: 30 },
          {
            weight: 1,
            ratePerS: 100,
          },
        ),
      ],
    };
    const judge = new SimObjective(problem);
    const whole = modelLevelBaseline(judge);
    const found = searchSplits(judge, whole.assignment);
    expect(found.splits).toEqual([]);
    expect(found.score).toBe(whole.score);
    expect(found.judge).toBeUndefined();
  });

  it('has no alternate for a tenant without a GPU and already whole on the CPU', () => {
    const problem = { ...slackProblem(), machine: { cpuSlots: 1, gpuSlots: 0 } };
    const own = [Uint8Array.of(ON_CPU), Uint8Array.of(ON_CPU)];
    const found = searchSplits(new SimObjective(problem), own);
    expect(found.splits).toEqual([]);
    expect(found.evaluations).toBe(0);
  });
});

describe('SimObjective.loadScale', () => {
  it("is the bisection's load scale, below the score's by the capacity tie-break", () => {
    const problem = slackProblem();
    const judge = new SimObjective(problem);
    const plan = [Uint8Array.of(ON_GPU), Uint8Array.of(ON_CPU)];
    const weightedRate = 1 * 10 + 1 * 100;
    const scale = judge.loadScale(plan);
    expect(scale).toBeGreaterThan(0);
    const tieBreak = judge.score(plan) / weightedRate - scale;
    expect(tieBreak).toBeGreaterThan(0);
    expect(tieBreak).toBeCloseTo(1e-3 * judge.capacity(plan), 9);
  });
});

describe('planSearch with splits', () => {
  it("reports the search's splits and predicts each route", async () => {
    const problem = slackProblem();
    const options = {
      seed: 1,
      rlEpisodes: 8,
      refineEvaluations: 40,
      lpBound: false,
      compare: false,
    } as const;
    const report = await planSearch(problem, options);
    expect(report.search.splits?.length).toBe(1);
    expect(report.chosen).toBe(report.search);
    const share = report.search.splits?.[0]?.share ?? Number.NaN;
    expect(report.predicted.tenants.map((tenant) => [tenant.name, tenant.route])).toEqual([
      ['vision', undefined],
      ['audio', { tenant: 'audio', alternate: false, share: 1 - share }],
      [alternateName('audio'), { tenant: 'audio', alternate: true, share }],
    ]);
    const [, main, alternate] = report.predicted.tenants;
    expect(alternate?.offeredPerS).toBeCloseTo(((main?.offeredPerS ?? 0) * share) / (1 - share), 9);
    const without = await planSearch(problem, { ...options, splits: false });
    expect(without.search.splits).toBeUndefined();
    expect(report.search.score).toBeGreaterThan(without.search.score);
    expect(without.predicted.tenants).toHaveLength(2);
  });
});
