import { describe, expect, it } from 'vitest';
import { AdditiveObjective } from './additive.js';
import { graphOfAdditive } from './additive-graph.js';
import { randomDag } from './additive-random.js';
import { allCpu, assignmentKey } from './problem.js';
import { refine } from './refine.js';
import { refineWithRestarts } from './refine-restarts.js';

const INSTANCE = randomDag(40, 7, { tenants: 2 });
const GRAPHS = INSTANCE.tenants.map(graphOfAdditive);

function fresh() {
  const objective = new AdditiveObjective(INSTANCE);
  return { objective, start: allCpu(objective.sizes) };
}

describe('refine: stallEvaluations', () => {
  it('ends a run once that many evaluations in a row found nothing better', () => {
    const { objective, start } = fresh();
    const result = refine(objective, GRAPHS, start, {
      seed: 4,
      maxEvaluations: 100_000,
      stallEvaluations: 40,
    });
    const lastImprovement = result.trace.at(-1)?.evaluations ?? 0;
    expect(result.evaluations).toBeLessThan(100_000);
    expect(objective.evaluations - lastImprovement).toBe(40);
  });
});

describe('refineWithRestarts', () => {
  it('spends its budget over several runs from the start and keeps the best, reproducibly', () => {
    const run = () => {
      const { objective, start } = fresh();
      const first = refine(new AdditiveObjective(INSTANCE), GRAPHS, start, {
        seed: 9,
        maxEvaluations: 600,
        stallEvaluations: 30,
      });
      const result = refineWithRestarts(objective, GRAPHS, start, {
        seed: 9,
        maxEvaluations: 600,
        stallEvaluations: 30,
      });
      return { first, result, evaluations: objective.evaluations };
    };
    const { first, result, evaluations } = run();
    // More evaluations than one stalled run took, up to the budget.
    expect(first.evaluations).toBeLessThan(600);
    expect(result.evaluations).toBeGreaterThan(first.evaluations);
    expect(result.evaluations).toBeLessThanOrEqual(600);
    expect(result.evaluations).toBe(evaluations);
    expect(result.score).toBeGreaterThanOrEqual(first.score);
    for (let k = 1; k < result.trace.length; k++)
      expect(result.trace[k]?.bestScore).toBeGreaterThan(
        result.trace[k - 1]?.bestScore ?? Number.POSITIVE_INFINITY,
      );
    expect(result.trace.at(-1)?.bestScore).toBe(result.score);
    expect(result.runs.length).toBeGreaterThan(1);
    expect(result.runs[0]?.score).toBe(first.score);
    expect(Math.max(...result.runs.map((r) => r.score))).toBe(result.score);
    const again = run().result;
    expect(assignmentKey(again.assignment)).toBe(assignmentKey(result.assignment));
  });

  it('is one plain refinement when runs never stall', () => {
    const a = fresh();
    const b = fresh();
    const plain = refine(a.objective, GRAPHS, a.start, { seed: 3, maxEvaluations: 300 });
    const restarting = refineWithRestarts(b.objective, GRAPHS, b.start, {
      seed: 3,
      maxEvaluations: 300,
      stallEvaluations: Number.POSITIVE_INFINITY,
    });
    expect(assignmentKey(restarting.assignment)).toBe(assignmentKey(plain.assignment));
    expect(restarting.evaluations).toBe(plain.evaluations);
  });

  it('honours a time budget over all runs through the injected clock', () => {
    const { objective, start } = fresh();
    let nowMs = 0;
    const now = () => {
      nowMs += 10;
      return nowMs;
    };
    const result = refineWithRestarts(objective, GRAPHS, start, {
      seed: 1,
      maxEvaluations: 10_000,
      stallEvaluations: 5,
      timeBudget: { ms: 100, now },
    });
    expect(result.evaluations).toBeLessThan(20);
  });
});
