import { describe, expect, it } from 'vitest';
import {
  allCpuBaseline,
  allGpuBaseline,
  layerGreedyBaseline,
  modelLevelBaseline,
  ortRuleBaseline,
  randomSearchBaseline,
  runBaselines,
} from './baselines.js';
import { allGpu, assignmentKey, ON_CPU, ON_GPU } from './problem.js';
import { syntheticProblem } from './problem-fixture.js';
import { SimObjective } from './sim-objective.js';

/**
 * Tenant 0: a wide chain, far faster on the GPU, with one pinned operator. Tenant 1: a narrow
 * chain, where GPU launches cost more than its tiny operators and would only crowd the GPU.
 * The known best model-level plan: tenant 0 on the GPU (but its pinned operator), tenant 1 on the CPU.
 */
const PROBLEM = (() => {
  const base = syntheticProblem({
    tenants: 2,
    operators: 24,
    kind: 'chain',
    width: [1024, 16],
    batch: 16,
    seed: 7,
  });
  const pinned = base.tenants.map((tenant, index) => ({
    ...tenant,
    gpuAllowed: tenant.gpuAllowed.map((ok, op) => ok && !(index === 0 && op === 12)),
  }));
  return { ...base, tenants: pinned };
})();

describe('baselines', () => {
  it('order as expected where the answer is known', () => {
    const objective = new SimObjective(PROBLEM);
    const cpu = allCpuBaseline(objective);
    const gpu = allGpuBaseline(objective);
    const model = modelLevelBaseline(objective);
    expect(gpu.score).toBeGreaterThan(cpu.score);
    expect(model.score).toBeGreaterThan(gpu.score);
    expect(Array.from(model.assignment[0] ?? [])).toEqual(
      PROBLEM.tenants[0]?.gpuAllowed.map((ok) => (ok ? ON_GPU : ON_CPU)),
    );
    expect(Array.from(model.assignment[1] ?? []).every((side) => side === ON_CPU)).toBe(true);
    // 2 tenants: all four combinations, all-CPU and all-GPU among them (cached from above).
    expect(model.evaluations).toBe(2);
    expect(model.name).toBe('model-level');
  });

  it('layer-level greedy never ends below its start and respects the pin', () => {
    const objective = new SimObjective(PROBLEM);
    const gpu = allGpuBaseline(objective);
    const greedy = layerGreedyBaseline(objective, { passes: 1 });
    expect(greedy.score).toBeGreaterThanOrEqual(gpu.score);
    // Moving tenant 1's operators off the GPU one at a time pays: it ends above all-GPU.
    expect(greedy.score).toBeGreaterThan(gpu.score);
    expect(greedy.assignment[0]?.[12]).toBe(ON_CPU);
  });

  it('layer-level greedy stops at its evaluation cap', () => {
    const objective = new SimObjective(PROBLEM);
    const greedy = layerGreedyBaseline(objective, { maxEvaluations: 5 });
    expect(greedy.evaluations).toBeLessThanOrEqual(5 + 2);
  });

  it('ORT rule follows the supported mask, never a pin', () => {
    const objective = new SimObjective(PROBLEM);
    expect(assignmentKey(ortRuleBaseline(objective).assignment)).toBe(
      assignmentKey(allGpu(objective.gpuAllowed)),
    );
    const supported = objective.sizes.map((size, tenant) => Array.from({ length: size }, () => tenant === 0));
    const ort = ortRuleBaseline(objective, supported);
    expect(Array.from(ort.assignment[1] ?? []).every((side) => side === ON_CPU)).toBe(true);
    expect(ort.assignment[0]?.[12]).toBe(ON_CPU);
    expect(ort.assignment[0]?.[11]).toBe(ON_GPU);
  });

  it('random search is reproducible for a seed and spends its evaluations', () => {
    const run = (seed: number) => randomSearchBaseline(new SimObjective(PROBLEM), { evaluations: 6, seed });
    const first = run(3);
    const again = run(3);
    expect(assignmentKey(again.assignment)).toBe(assignmentKey(first.assignment));
    expect(again.score).toBe(first.score);
    expect(first.evaluations).toBe(6);
    expect(assignmentKey(run(4).assignment)).not.toBe(assignmentKey(first.assignment));
    const skewed = randomSearchBaseline(new SimObjective(PROBLEM), {
      evaluations: 3,
      seed: 3,
      gpuProbability: 0,
    });
    expect(skewed.name).toBe('random-p0');
    expect(skewed.assignment.every((sides) => sides.every((side) => side === ON_CPU))).toBe(true);
    expect(() =>
      randomSearchBaseline(new SimObjective(PROBLEM), { evaluations: 1, seed: 1, gpuProbability: 2 }),
    ).toThrow(RangeError);
  });

  it('without a GPU every baseline is all-CPU', () => {
    const objective = new SimObjective({ ...PROBLEM, machine: { ...PROBLEM.machine, gpuSlots: 0 } });
    const results = runBaselines(objective, { seed: 1, randomEvaluations: 3 });
    expect(results.map((entry) => entry.name)).toEqual([
      'all-cpu',
      'all-gpu',
      'ort-rule',
      'model-level',
      'layer-greedy',
      'random',
      'random-mixed',
    ]);
    const cpuScore = results[0]?.score;
    for (const entry of results) expect(entry.score).toBe(cpuScore);
  });
});
