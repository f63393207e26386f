import { describe, expect, it } from 'vitest';
import { type AdditiveInstance, AdditiveObjective, gpuAllowedOf } from './additive.js';
import { additiveBlockCosts, graphOfAdditive } from './additive-graph.js';
import { randomChain, randomDag } from './additive-random.js';
import { solveChainDp } from './chain-dp.js';
import { solveAdditiveMilp } from './milp.js';
import { allGpu, assignmentKey, ON_CPU, ON_GPU } from './problem.js';
import { rangeSweep } from './range-sweep.js';
import { type TwoPhaseOptions, twoPhaseSearch } from './two-phase.js';

function search(
  instance: AdditiveInstance,
  options: TwoPhaseOptions,
  objective = new AdditiveObjective(instance),
) {
  return twoPhaseSearch(
    objective,
    instance.tenants.map(graphOfAdditive),
    additiveBlockCosts(instance),
    options,
  );
}

/** Every other allowed operator on the GPU: a switch on nearly every edge, a poor plan. */
function alternating(instance: AdditiveInstance): Uint8Array[] {
  return instance.tenants.map((tenant) =>
    Uint8Array.from(gpuAllowedOf(tenant), (ok, op) => (ok && op % 2 === 1 ? ON_GPU : ON_CPU)),
  );
}

const GENEROUS = { rlEpisodes: 96, refineEvaluations: 8000 } as const;

describe('twoPhaseSearch on additive instances', () => {
  it('never returns a plan worse than its extra starts, and scores it honestly', async () => {
    const instance = randomDag(24, 11, { tenants: 2 });
    const fresh = new AdditiveObjective(instance);
    const starts = [
      { name: 'alternating', assignment: alternating(instance) },
      { name: 'all-gpu', assignment: allGpu(fresh.gpuAllowed) },
    ];
    const bestStart = Math.max(...starts.map((start) => fresh.score(start.assignment)));
    for (const rlEpisodes of [0, 16]) {
      const result = await search(instance, {
        seed: 4,
        rlEpisodes,
        refineEvaluations: 40,
        extraStarts: starts,
      });
      expect(result.score).toBeGreaterThanOrEqual(bestStart);
      expect(fresh.score(result.assignment)).toBe(result.score);
      expect(['rl', 'alternating', 'all-gpu']).toContain(result.startedFrom);
      if (rlEpisodes === 0) expect(result.rl).toBeUndefined();
      else expect(result.rl).toBeDefined();
    }
    // With no refinement at all the answer is the best start itself.
    const unrefined = await search(instance, {
      seed: 4,
      rlEpisodes: 0,
      refineEvaluations: 0,
      extraStarts: starts,
    });
    expect(unrefined.score).toBe(bestStart);
  });

  it('asks for a late start only once the others are refined, and refines it with its share', async () => {
    const instance = randomDag(24, 12, { tenants: 2 });
    const objective = new AdditiveObjective(instance);
    const late = { name: 'all-gpu', assignment: allGpu(objective.gpuAllowed) };
    const askedAt: number[] = [];
    const given: string[] = [];
    const result = await search(
      instance,
      {
        seed: 5,
        rlEpisodes: 16,
        refineEvaluations: 60,
        lateStart: async (refined) => {
          askedAt.push(objective.evaluations);
          given.push(...refined.map((candidate) => candidate.name));
          return late;
        },
      },
      objective,
    );
    expect(askedAt).toHaveLength(1);
    // It is shown what the earlier starts' refinements found (to judge while it waits).
    expect(given.length).toBeGreaterThan(0);
    expect(new Set(given)).toEqual(new Set(['rl']));
    const asked = askedAt[0] as number;
    const refining = (name: string) => result.trace.filter((point) => point.phase === `refine:${name}`);
    expect(refining('rl').length).toBeGreaterThan(0);
    expect(refining('all-gpu').length).toBeGreaterThan(0);
    for (const point of refining('rl')) expect(point.evaluations).toBeLessThanOrEqual(asked);
    for (const point of refining('all-gpu')) expect(point.evaluations).toBeGreaterThan(asked);
    expect(result.candidates.map((candidate) => candidate.name).sort()).toEqual(['all-gpu', 'rl']);
    expect(result.score).toBeGreaterThanOrEqual(new AdditiveObjective(instance).score(late.assignment));
  });

  it('is deterministic for a seed', async () => {
    const instance = randomDag(20, 5, { tenants: 2 });
    const options = { seed: 9, rlEpisodes: 32, refineEvaluations: 300 };
    const first = await search(instance, options);
    const second = await search(instance, options);
    expect(assignmentKey(second.assignment)).toBe(assignmentKey(first.assignment));
    expect(second.score).toBe(first.score);
    expect(second.evaluations).toBe(first.evaluations);
  });

  it.each([1, 2, 3])('reaches within one percent of the chain DP optimum (chain seed %i)', async (seed) => {
    const instance = randomChain(30, seed, { tenants: 2 });
    const exact = solveChainDp(instance);
    const result = await search(instance, { seed, ...GENEROUS });
    // Scores are minus latency: the search's can only be at or below the optimum.
    expect(result.score).toBeLessThanOrEqual(exact.score + 1e-9);
    expect(result.score).toBeGreaterThanOrEqual(exact.score - 0.01 * Math.abs(exact.score));
  });

  it.each([3, 4])('reaches within one percent of the MILP optimum (DAG seed %i)', async (seed) => {
    const instance = randomDag(16, seed, { tenants: 2 });
    const exact = await solveAdditiveMilp(instance);
    expect(exact.optimal).toBe(true);
    const result = await search(instance, { seed, ...GENEROUS });
    expect(result.score).toBeLessThanOrEqual(exact.score + 1e-9);
    expect(result.score).toBeGreaterThanOrEqual(exact.score - 0.01 * Math.abs(exact.score));
    // Pinned operators stay on the CPU.
    instance.tenants.forEach((tenant, t) => {
      const allowed = gpuAllowedOf(tenant);
      result.assignment[t]?.forEach((side, op) => {
        if (!allowed[op]) expect(side).toBe(ON_CPU);
      });
    });
  });

  it('throws when there is neither a phase 1 nor a start to refine', async () => {
    const instance = randomChain(8, 1);
    await expect(search(instance, { seed: 1, rlEpisodes: 0, refineEvaluations: 100 })).rejects.toThrow(
      RangeError,
    );
    await expect(
      search(instance, { seed: 1, rlEpisodes: 0, refineEvaluations: 100, extraStarts: [] }),
    ).rejects.toThrow(RangeError);
  });

  it('traces evaluations that never decrease, across both phases', async () => {
    const instance = randomDag(20, 8, { tenants: 2 });
    const objective = new AdditiveObjective(instance);
    const result = await search(
      instance,
      {
        seed: 2,
        rlEpisodes: 48,
        refineEvaluations: 400,
        extraStarts: [{ name: 'alternating', assignment: alternating(instance) }],
      },
      objective,
    );
    const phases = new Set(result.trace.map((point) => point.phase));
    expect([...phases].some((phase) => phase.startsWith('refine:'))).toBe(true);
    expect(phases.size).toBeGreaterThan(1);
    for (let k = 1; k < result.trace.length; k++)
      expect(result.trace[k]?.evaluations).toBeGreaterThanOrEqual(
        result.trace[k - 1]?.evaluations ?? Infinity,
      );
    expect(result.trace.at(-1)?.evaluations).toBeLessThanOrEqual(objective.evaluations);
    expect(result.evaluations).toBe(objective.evaluations);
  });
});

describe('twoPhaseSearch refinement restarts', () => {
  it('restarts a stalled refinement from its start, each run a candidate, and never with a fraction of 1', async () => {
    const instance = randomDag(30, 5, { tenants: 2 });
    const options = {
      seed: 2,
      rlEpisodes: 0,
      refineEvaluations: 3000,
      extraStarts: [{ name: 'alternating', assignment: alternating(instance) }],
    };
    const restarting = await search(instance, options);
    const single = await search(instance, { ...options, restartStallFraction: 1 });
    expect(single.candidates).toHaveLength(1);
    // Several distinct runs from the one start, all named after it; the result is the best of them.
    expect(restarting.candidates.length).toBeGreaterThan(1);
    expect(new Set(restarting.candidates.map((c) => assignmentKey(c.assignment))).size).toBe(
      restarting.candidates.length,
    );
    expect(restarting.candidates.every((c) => c.name === 'alternating')).toBe(true);
    expect(restarting.score).toBe(Math.max(...restarting.candidates.map((c) => c.score)));
    // The start's own score, then no more than the refinement's budget over all runs.
    expect(restarting.evaluations).toBeLessThanOrEqual(1 + 3000);
  });

  it('sweeps each start known at once before refining it, and not the late one', async () => {
    const instance = randomChain(40, 3, { tenants: 2 });
    const fresh = new AdditiveObjective(instance);
    const graphs = instance.tenants.map(graphOfAdditive);
    const sweep = { cuts: 6, rounds: 2 };
    const start = { name: 'alternating', assignment: alternating(instance) };
    const swept = rangeSweep(fresh, graphs, start.assignment, sweep);
    expect(swept.score).toBeGreaterThan(fresh.score(start.assignment));
    const result = await search(instance, {
      seed: 2,
      rlEpisodes: 0,
      refineEvaluations: 1,
      extraStarts: [start],
      rangeSweep: sweep,
      // The same placement late: refined as it is, not swept.
      lateStart: async () => ({ name: 'late', assignment: start.assignment }),
    });
    const names = result.candidates.map((candidate) => candidate.name);
    expect(names).toContain('alternating+ranges');
    // The runs found at the cuts alone, their ends moved afterwards: a candidate, not refined.
    expect(names).toContain('alternating+cuts');
    expect(names).toContain('late');
    // Refinement (one evaluation here) starts from the swept placement.
    const fromSweep = result.candidates.find((candidate) => candidate.name === 'alternating+ranges');
    expect(fromSweep?.score).toBeGreaterThanOrEqual(swept.score);
    // The late one, one step from the unswept placement, stays below the sweep's.
    const late = result.candidates.find((candidate) => candidate.name === 'late');
    expect(late?.score).toBeLessThan(swept.score);
  });
});
