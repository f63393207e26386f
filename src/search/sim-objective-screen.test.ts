import { describe, expect, it } from 'vitest';
import { Rng } from '../common/index.js';
import { type Assignment, type Objective, ON_CPU, ON_GPU } from './problem.js';
import { refine } from './refine.js';
import { SimObjective } from './sim-objective.js';
import { SCREEN_PROBLEM as PROBLEM } from './sim-screen.test-fixture.js';

const GRAPHS = PROBLEM.tenants.map((tenant) => tenant.graph);

/** Seeded random placements, each operator on the GPU with probability one half where allowed. */
function randomPlans(objective: Objective, count: number): Assignment[] {
  const rng = new Rng(17);
  return Array.from({ length: count }, () =>
    objective.gpuAllowed.map((allowed) =>
      Uint8Array.from(allowed, (ok) => (ok && rng.float() < 0.5 ? ON_GPU : ON_CPU)),
    ),
  );
}

/** The same objective without scoreAbove: what refinement does on full scores alone. */
function fullScoresOnly(objective: SimObjective): Objective {
  return {
    sizes: objective.sizes,
    gpuAllowed: objective.gpuAllowed,
    cpuSides: objective.cpuSides,
    score: (assignment) => objective.score(assignment),
    get evaluations() {
      return objective.evaluations;
    },
  };
}

describe('SimObjective.scoreAbove', () => {
  it('gives the full score where it is above the floor, and the floor where it is not', () => {
    const full = new SimObjective(PROBLEM);
    const plans = randomPlans(full, 30);
    const scores = plans.map((plan) => full.score(plan));
    const feasible = scores.filter((score) => score > 0).sort((a, b) => a - b);
    const median = feasible[feasible.length >> 1] ?? 0;
    expect(feasible.length).toBeGreaterThan(10);
    let above = 0;
    let below = 0;
    plans.forEach((plan, index) => {
      const score = scores[index] as number;
      for (const floor of [median, score * 0.97, score, score * 1.03]) {
        const screened = new SimObjective(PROBLEM).scoreAbove(plan, floor);
        if (score > floor) {
          expect(screened).toBe(score);
          above++;
        } else {
          expect(screened).toBeLessThanOrEqual(floor);
          below++;
        }
      }
    });
    expect(above).toBeGreaterThan(20);
    expect(below).toBeGreaterThan(20);
  });

  it('counts a plan screened out as one evaluation, and a higher floor for it as none', () => {
    const objective = new SimObjective(PROBLEM);
    const [plan] = randomPlans(objective, 1) as [Assignment];
    const score = new SimObjective(PROBLEM).score(plan);
    expect(score).toBeGreaterThan(0);
    expect(objective.scoreAbove(plan, score * 1.5)).toBe(score * 1.5);
    expect(objective.evaluations).toBe(1);
    expect(objective.scoreAbove(plan, score * 2)).toBe(score * 2);
    expect(objective.evaluations).toBe(1);
    // A lower floor it may beat: scored in full, and cached.
    expect(objective.scoreAbove(plan, score / 2)).toBe(score);
    expect(objective.score(plan)).toBe(score);
    expect(objective.evaluations).toBe(2);
  });

  it('leaves an improvements-only refinement where full scores take it, for fewer simulations', () => {
    const options = { seed: 3, maxEvaluations: 40, patience: 8, maxKicks: 0 };
    const screening = new SimObjective(PROBLEM);
    const full = new SimObjective(PROBLEM);
    const [start] = randomPlans(full, 1) as [Assignment];
    const screened = refine(screening, GRAPHS, start, options);
    const reference = refine(fullScoresOnly(full), GRAPHS, start, options);
    expect(screened.score).toBe(reference.score);
    expect(screened.assignment).toEqual(reference.assignment);
    expect(screened.score).toBeGreaterThan(full.score(start));
    expect(screening.simulations).toBeLessThan(full.simulations);
  });
});
