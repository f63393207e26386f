import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/thrown.js';
import { Code } from '../common/index.js';
import { requestSlotsFor } from '../cost/index.js';
import { AnalyticObjective } from './analytic-objective.js';
import { layerGreedyBaseline } from './baselines.js';
import { type Assignment, allCpu, allGpu, type SearchProblem } from './problem.js';
import { shippedMachine, syntheticProblem } from './problem-fixture.js';
import { SimObjective } from './sim-objective.js';
import { TWO_OP_CPU_MS, twoOpTenant } from './two-op-fixture.js';

/** Moderate width: all-CPU, all-GPU and a mixed plan are clearly apart on both evaluators. */
const MIXED = syntheticProblem({
  tenants: 2,
  operators: 30,
  kind: 'mixed',
  width: 256,
  batch: 16,
  pinnedFraction: 0.1,
  seed: 3,
});

/** A wide tenant (GPU pays) beside a narrow one (CPU pays); all-CPU misses the wide one's SLO. */
const SKEWED = syntheticProblem({
  tenants: 2,
  operators: 30,
  kind: 'mixed',
  width: [1024, 64],
  batch: 16,
  pinnedFraction: 0.1,
  seed: 3,
});

/**
 * The two-op tenant all on the CPU: one segment, priced by hand from the fixture and the H100
 * machine profile (cpu dispatch 0.05 ms, hand-off 0.03 ms + 0.1 ms/MiB, 1 MiB tensors).
 */
const ONE_SEGMENT_SERVICE_MS = 0.5 + TWO_OP_CPU_MS[0] + TWO_OP_CPU_MS[1]; // launch + A + B = 5.5
const ONE_SEGMENT_UNLOADED_MS = 0.05 + (0.03 + 0.1) + ONE_SEGMENT_SERVICE_MS + (0.03 + 0.1); // 5.81

function twoOpProblem(objective: SearchProblem['objective'], sloMs: number, ratePerS = 100): SearchProblem {
  return {
    tenants: [{ ...twoOpTenant({ weight: 2, ratePerS }), sloMs }],
    machine: { cpuSlots: 1, gpuSlots: 1 },
    objective,
    seed: 1,
  };
}

const TWO_OP_ALL_CPU: Assignment = [Uint8Array.from([0, 0])];
/** Dispatcher slots enough that they never bind in these tests. */
const SPARE_SLOTS = 16;

describe('AnalyticObjective', () => {
  it('checks the hand-priced machine profile the expectations below use', () => {
    const cpu = shippedMachine('nvidia-h100-sxm').cpu;
    expect([cpu.dispatchMs, cpu.handoff.fixedMs, cpu.handoff.msPerMiB]).toEqual([0.05, 0.03, 0.1]);
  });

  it('is deterministic: two objectives score the same plans identically', () => {
    const a = new AnalyticObjective(SKEWED);
    const b = new AnalyticObjective(SKEWED);
    const plans = [allCpu(a.sizes), allGpu(a.gpuAllowed), layerGreedyBaseline(a).assignment];
    for (const plan of plans) expect(b.score(plan)).toBe(a.score(plan));
  });

  it('caches: scoring a plan again is not an evaluation', () => {
    const objective = new AnalyticObjective(MIXED);
    const cpu = allCpu(objective.sizes);
    const first = objective.score(cpu);
    expect(objective.evaluations).toBe(1);
    // An equal plan in fresh arrays hits the cache too.
    expect(objective.score(allCpu(objective.sizes))).toBe(first);
    expect(objective.evaluations).toBe(1);
    objective.score(allGpu(objective.gpuAllowed));
    expect(objective.evaluations).toBe(2);
  });

  it('rejects a pinned operator on the GPU with INVALID_ARGUMENT', () => {
    const objective = new AnalyticObjective(MIXED);
    expect(objective.gpuAllowed.flat().some((ok) => !ok)).toBe(true);
    const everythingOnGpu = objective.sizes.map((size) => new Uint8Array(size).fill(1));
    expect(thrown(() => objective.score(everythingOnGpu)).code).toBe(Code.InvalidArgument);
    expect(objective.evaluations).toBe(0);
  });

  it('scores less throughput as the SLOs tighten but stay reachable', () => {
    const judge = new SimObjective(MIXED);
    const plans = [allCpu(judge.sizes), allGpu(judge.gpuAllowed)];
    for (const plan of plans) {
      const slowestMs = Math.max(...judge.describe(plan).tenants.map((tenant) => tenant.unloadedLatencyMs));
      const scores = [50, 20, 2 * slowestMs].map((sloMs) => {
        expect(sloMs).toBeGreaterThan(slowestMs);
        const tightened: SearchProblem = {
          ...MIXED,
          tenants: MIXED.tenants.map((tenant) => ({ ...tenant, sloMs })),
        };
        // Slots to spare: the SLO, not the dispatcher, limits the load.
        return new AnalyticObjective(tightened, SPARE_SLOTS).score(plan);
      });
      expect(scores[2]).toBeGreaterThan(0);
      expect(scores[0]).toBeGreaterThan(scores[1] ?? Number.POSITIVE_INFINITY);
      expect(scores[1]).toBeGreaterThan(scores[2] ?? Number.POSITIVE_INFINITY);
    }
  });

  it('scores a plan below 0 by its relative SLO excess when it misses unloaded', () => {
    // Unloaded 5.81 ms against a 5 ms SLO: (5.81 - 5) / 5.
    const score = new AnalyticObjective(twoOpProblem('throughput', 5)).score(TWO_OP_ALL_CPU);
    expect(score).toBeCloseTo(-(ONE_SEGMENT_UNLOADED_MS - 5) / 5, 9);
    expect(score).toBeLessThan(0);
    // The same plan on the SKEWED problem: the wide tenant alone on the CPU misses 50 ms.
    const skewed = new AnalyticObjective(SKEWED);
    expect(skewed.score(allCpu(skewed.sizes))).toBeLessThan(0);
  });

  it('throughput: the largest M/M/1 load whose p99 (unloaded + ln 100 x wait) meets the SLO', () => {
    // One CPU slot, one segment of S = 5.5 ms: the wait is rho / (1 - rho) * S, rho = load * 100 * S / 1000.
    const sloMs = 100;
    const waitRatio = (sloMs - ONE_SEGMENT_UNLOADED_MS) / (Math.log(100) * ONE_SEGMENT_SERVICE_MS);
    const rho = waitRatio / (1 + waitRatio);
    const loadScale = (rho * 1000) / (100 * ONE_SEGMENT_SERVICE_MS);
    const expected = loadScale * 2 * 100; // λ · weight · rate
    const score = new AnalyticObjective(twoOpProblem('throughput', sloMs), SPARE_SLOTS).score(TWO_OP_ALL_CPU);
    expect(score).toBeCloseTo(expected, 6);
  });

  it("assumes the engine's dispatcher unless told otherwise: requestSlotsFor the worker threads", () => {
    // The M/M/1 load above keeps about 2.3 requests in flight (Little: rate x latency); this
    // machine has one CPU thread and one GPU thread, so the engine runs requestSlotsFor(2) at
    // once and they fit, where one per thread (two) would not.
    const problem = twoOpProblem('throughput', 100);
    const engineLike = new AnalyticObjective(problem).score(TWO_OP_ALL_CPU);
    expect(engineLike).toBe(new AnalyticObjective(problem, requestSlotsFor(2)).score(TWO_OP_ALL_CPU));
    expect(engineLike).toBe(new AnalyticObjective(problem, SPARE_SLOTS).score(TWO_OP_ALL_CPU));
    expect(new AnalyticObjective(problem, 2).score(TWO_OP_ALL_CPU)).toBeLessThan(engineLike);
    const told = { ...problem, machine: { ...problem.machine, requestSlots: SPARE_SLOTS } };
    expect(new AnalyticObjective(told).score(TWO_OP_ALL_CPU)).toBe(
      new AnalyticObjective(problem, SPARE_SLOTS).score(TWO_OP_ALL_CPU),
    );
  });

  it('latency: minus weight x (unloaded + M/M/1 wait) for one tenant on one segment', () => {
    const rho = (100 * ONE_SEGMENT_SERVICE_MS) / 1000; // 0.55
    const waitMs = (rho / (1 - rho)) * ONE_SEGMENT_SERVICE_MS;
    const score = new AnalyticObjective(twoOpProblem('latency', 100)).score(TWO_OP_ALL_CPU);
    expect(score).toBeCloseTo(-2 * (ONE_SEGMENT_UNLOADED_MS + waitMs), 9);
    // With no traffic there is no queueing: minus weight x unloaded latency.
    const idle = new AnalyticObjective(twoOpProblem('latency', 100, 0)).score(TWO_OP_ALL_CPU);
    expect(idle).toBeCloseTo(-2 * ONE_SEGMENT_UNLOADED_MS, 9);
  });

  it.each([
    ['MIXED', MIXED],
    ['SKEWED', SKEWED],
  ])('ranks all-CPU, all-GPU and a good plan as the simulator does (%s)', (_name, problem) => {
    const analytic = new AnalyticObjective(problem);
    const simulated = new SimObjective(problem);
    const plans: Record<string, Assignment> = {
      'all-cpu': allCpu(analytic.sizes),
      'all-gpu': allGpu(analytic.gpuAllowed),
      greedy: layerGreedyBaseline(new AnalyticObjective(problem)).assignment,
    };
    const order = (score: (plan: Assignment) => number): string[] =>
      Object.entries(plans)
        .map(([name, plan]) => ({ name, score: score(plan) }))
        .sort((a, b) => a.score - b.score)
        .map(({ name }) => name);
    const bySimulator = order((plan) => simulated.score(plan));
    // The plans must be clearly apart for the comparison to mean anything.
    const simScores = Object.values(plans).map((plan) => simulated.score(plan));
    for (let i = 0; i < simScores.length; i++)
      for (let j = i + 1; j < simScores.length; j++) {
        const gap = Math.abs((simScores[i] ?? 0) - (simScores[j] ?? 0));
        expect(gap).toBeGreaterThan(
          0.05 * Math.max(Math.abs(simScores[i] ?? 0), Math.abs(simScores[j] ?? 0)),
        );
      }
    expect(order((plan) => analytic.score(plan))).toEqual(bySimulator);
  });
});
