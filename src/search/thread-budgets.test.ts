import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/thrown.js';
import { Code, Rng } from '../common/index.js';
import { adjacencyOf } from '../graph/index.js';
import { AnalyticObjective } from './analytic-objective.js';
import { modelLevelBaseline } from './baselines.js';
import { allCpu, budgetSide, ON_CPU, type SearchProblem } from './problem.js';
import { syntheticProblem } from './problem-fixture.js';
import { refine } from './refine.js';
import { randomMove, systematicMoves } from './refine-moves.js';
import { SimObjective } from './sim-objective.js';
import { compileTenant, cpuLanes } from './tenant-plan.js';

const BUDGET = { threads: 2, slots: 2 };
const WIDE = budgetSide(0);

/**
 * Two CPU-only tenants whose SLO lies between their unloaded latency at 2 threads and at 1: only
 * a plan with the wider budget meets it.
 */
function tightProblem(cpuBudgets = [BUDGET]): SearchProblem {
  const options = {
    tenants: 2,
    operators: 30,
    kind: 'mixed' as const,
    width: 512,
    batch: 8,
    gpuSlots: 0,
    cpuSlots: 2,
    ratePerS: 2,
    seed: 3,
    cpuBudgets: [BUDGET],
  };
  const probe = syntheticProblem(options);
  const lanes = cpuLanes([BUDGET]);
  const latency = (side: number) =>
    Math.max(
      ...probe.tenants.map(
        (tenant) =>
          compileTenant(tenant, new Uint8Array(tenant.graph.ops.length).fill(side), lanes).unloadedMs,
      ),
    );
  const narrowMs = Math.min(
    ...probe.tenants.map(
      (tenant) => compileTenant(tenant, new Uint8Array(tenant.graph.ops.length), lanes).unloadedMs,
    ),
  );
  const sloMs = (latency(WIDE) + narrowMs) / 2;
  expect(latency(WIDE)).toBeLessThan(narrowMs);
  const problem = syntheticProblem({ ...options, sloMs });
  return { ...problem, machine: { ...problem.machine, cpuBudgets } };
}

describe('CPU thread budgets in the search', () => {
  it('compiles a budget’s operators onto their own lane, priced at its threads, holding its slots', () => {
    const problem = tightProblem();
    const tenant = problem.tenants[0];
    if (!tenant) throw new Error('no tenant');
    const count = tenant.graph.ops.length;
    const sides = new Uint8Array(count).fill(ON_CPU).fill(WIDE, count / 2);
    const plan = compileTenant(tenant, sides, cpuLanes([BUDGET]));
    const wide = plan.sim.segments.filter((segment) => segment.slots === 2);
    expect(wide.length).toBeGreaterThan(0);
    expect(plan.sim.segments.some((segment) => segment.slots === undefined)).toBe(true);
    const busyMs = plan.sim.segments.reduce(
      (sum, segment) => sum + (segment.slots ?? 1) * segment.durationMs,
      0,
    );
    expect(plan.busyMsByPool.get('cpu')).toBeCloseTo(busyMs + (plan.sim.workerIdleMs ?? 0), 9);
    // The budget's operators cost less time at 2 threads than at 1.
    const narrow = compileTenant(tenant, new Uint8Array(count), cpuLanes([BUDGET]));
    const allWide = compileTenant(tenant, new Uint8Array(count).fill(WIDE), cpuLanes([BUDGET]));
    expect(allWide.unloadedMs).toBeLessThan(narrow.unloadedMs);
  });

  it('refuses a budget side the machine has not, and budgets the CPU cannot hold', () => {
    const problem = tightProblem([]);
    const sizes = problem.tenants.map((tenant) => tenant.graph.ops.length);
    const wide = sizes.map((size) => new Uint8Array(size).fill(WIDE));
    const error = thrown(() => new AnalyticObjective(problem).score(wide));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toMatch(/operator 0 has side 2/);
    expect(new AnalyticObjective(tightProblem()).score(wide)).toBeGreaterThan(0);
    const tooWide = { ...problem, machine: { ...problem.machine, cpuBudgets: [{ threads: 4, slots: 3 }] } };
    expect(thrown(() => new AnalyticObjective(tooWide)).message).toBe(
      "CPU thread budget 0: slots must be an integer from 1 to the CPU's 2, got 3",
    );
  });

  it('proposes budget moves only on CPU groups, and only where the machine has budgets', () => {
    const tenant = tightProblem().tenants[0];
    if (!tenant) throw new Error('no tenant');
    const adjacency = adjacencyOf(tenant.graph);
    const sides = new Uint8Array(tenant.graph.ops.length).fill(ON_CPU).fill(1, 10, 20);
    const allowed = tenant.graph.ops.map(() => true);
    expect(randomMove('rethread', new Rng(1), adjacency, sides, allowed, 1)).toBeNull();
    const rng = new Rng(2);
    for (let draw = 0; draw < 50; draw++) {
      const moved = randomMove('rethread', rng, adjacency, sides, allowed, 2);
      if (!moved) continue;
      moved.forEach((side, op) => {
        // GPU operators stay; CPU ones keep a CPU side.
        if (sides[op] === 1) expect(side).toBe(1);
        else expect([ON_CPU, WIDE]).toContain(side);
      });
    }
    const binary = [...systematicMoves(adjacency, sides, allowed)];
    const withBudgets = [...systematicMoves(adjacency, sides, allowed, 8, 2)];
    const rethreaded = withBudgets.filter((moved) => moved.includes(WIDE));
    expect(binary.some((moved) => moved.includes(WIDE))).toBe(false);
    // One per CPU group (before and after the GPU run), each to the wider budget.
    expect(rethreaded).toHaveLength(2);
  });

  it('finds the budget that meets a tight SLO: refinement and model-level alike, and the simulator agrees', () => {
    const problem = tightProblem();
    const inner = new AnalyticObjective(problem);
    const sizes = problem.tenants.map((tenant) => tenant.graph.ops.length);
    expect(inner.score(allCpu(sizes))).toBeLessThan(0);
    const refined = refine(
      inner,
      problem.tenants.map((tenant) => tenant.graph),
      allCpu(sizes),
      {
        seed: 1,
        maxEvaluations: 400,
      },
    );
    expect(refined.score).toBeGreaterThan(0);
    expect(refined.assignment.some((sides) => sides.includes(WIDE))).toBe(true);
    expect(new SimObjective(problem).score(refined.assignment)).toBeGreaterThan(0);
    const modelLevel = modelLevelBaseline(inner);
    expect(modelLevel.score).toBeGreaterThan(0);
    expect(modelLevel.assignment.every((sides) => sides.every((side) => side === WIDE))).toBe(true);
    // Without budgets on the machine nothing meets the SLO.
    const binary = new AnalyticObjective(tightProblem([]));
    expect(modelLevelBaseline(binary).score).toBeLessThan(0);
  });
});
