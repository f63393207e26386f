import { describe, expect, it } from 'vitest';
import { HetschedError } from '../common/index.js';
import { requestSlotsFor } from '../cost/index.js';
import { allCpu, allGpu, ON_CPU, ON_GPU, type SearchProblem } from './problem.js';
import { syntheticProblem } from './problem-fixture.js';
import { SimObjective } from './sim-objective.js';

/** Wide chains: the GPU is far faster than the CPU on every MatMul. */
const GPU_FRIENDLY = syntheticProblem({
  tenants: 2,
  operators: 30,
  kind: 'chain',
  width: 1024,
  batch: 16,
  pinnedFraction: 0.1,
  seed: 7,
});

/** Every other operator on the other side: a copy at each of them. */
function alternating(objective: SimObjective): Uint8Array[] {
  return objective.gpuAllowed.map((allowed) =>
    Uint8Array.from(allowed, (ok, op) => (ok && op % 2 === 0 ? ON_GPU : ON_CPU)),
  );
}

describe('SimObjective', () => {
  it('is deterministic: the same problem and seed give the same scores', () => {
    const first = new SimObjective(GPU_FRIENDLY);
    const second = new SimObjective(GPU_FRIENDLY);
    for (const make of [allCpu(first.sizes), allGpu(first.gpuAllowed), alternating(first)])
      expect(second.score(make)).toBe(first.score(make));
  });

  it('runs as many requests at once as the engine would (requestSlotsFor its threads), unless told', () => {
    const { cpuSlots, gpuSlots } = GPU_FRIENDLY.machine;
    const plan = allGpu(new SimObjective(GPU_FRIENDLY).gpuAllowed);
    const score = new SimObjective(GPU_FRIENDLY).score(plan);
    expect(score).toBe(
      new SimObjective(GPU_FRIENDLY, { requestSlots: requestSlotsFor(cpuSlots + gpuSlots) }).score(plan),
    );
    const told = { ...GPU_FRIENDLY, machine: { ...GPU_FRIENDLY.machine, requestSlots: 32 } };
    expect(new SimObjective(told).score(plan)).toBe(
      new SimObjective(GPU_FRIENDLY, { requestSlots: 32 }).score(plan),
    );
  });

  it('counts evaluations, not cache hits', () => {
    const objective = new SimObjective(GPU_FRIENDLY);
    const cpu = allCpu(objective.sizes);
    objective.score(cpu);
    objective.score(cpu.map((sides) => sides.slice()));
    expect(objective.evaluations).toBe(1);
    objective.score(allGpu(objective.gpuAllowed));
    expect(objective.evaluations).toBe(2);
  });

  it('scores an obviously better plan higher (throughput)', () => {
    const objective = new SimObjective(GPU_FRIENDLY);
    const cpu = objective.score(allCpu(objective.sizes));
    const gpu = objective.score(allGpu(objective.gpuAllowed));
    const mixed = objective.score(alternating(objective));
    expect(cpu).toBeGreaterThan(0);
    expect(gpu).toBeGreaterThan(2 * cpu);
    expect(gpu).toBeGreaterThan(mixed);
  });

  it('gives more throughput to more CPU slots', () => {
    const cpu = (slots: number) => {
      const problem: SearchProblem = {
        ...GPU_FRIENDLY,
        machine: { ...GPU_FRIENDLY.machine, cpuSlots: slots },
      };
      const objective = new SimObjective(problem);
      return objective.score(allCpu(objective.sizes));
    };
    expect(cpu(4)).toBeGreaterThan(1.5 * cpu(1));
  });

  it('scores plans that miss the SLO unloaded below 0, nearer misses higher', () => {
    const gpuPlan = new SimObjective(GPU_FRIENDLY).describe(
      allGpu(GPU_FRIENDLY.tenants.map((t) => t.gpuAllowed)),
    );
    const unloadedMs = Math.max(...gpuPlan.tenants.map((tenant) => tenant.unloadedLatencyMs));
    // An SLO the GPU plan meets unloaded, which the CPU plan (much slower) cannot.
    const tight: SearchProblem = {
      ...GPU_FRIENDLY,
      tenants: GPU_FRIENDLY.tenants.map((tenant) => ({ ...tenant, sloMs: 1.5 * unloadedMs })),
    };
    const objective = new SimObjective(tight);
    const cpu = objective.score(allCpu(objective.sizes));
    const half = objective.score(
      objective.gpuAllowed.map((allowed) =>
        Uint8Array.from(allowed, (ok, op) => (ok && op < allowed.length / 2 ? ON_GPU : ON_CPU)),
      ),
    );
    expect(cpu).toBeLessThan(0);
    expect(half).toBeGreaterThan(cpu);
    expect(objective.score(allGpu(objective.gpuAllowed))).toBeGreaterThan(0);
  });

  it('respects gpuAllowed: pinned operators and a machine without a GPU', () => {
    const objective = new SimObjective(GPU_FRIENDLY);
    const pinned = objective.gpuAllowed[0]?.indexOf(false) ?? -1;
    expect(pinned).toBeGreaterThanOrEqual(0);
    const bad = allGpu(objective.gpuAllowed);
    (bad[0] as Uint8Array)[pinned] = ON_GPU;
    expect(() => objective.score(bad)).toThrow(HetschedError);
    expect(() => objective.score([new Uint8Array(3)])).toThrow(/tenants/);

    const noGpu = new SimObjective({ ...GPU_FRIENDLY, machine: { ...GPU_FRIENDLY.machine, gpuSlots: 0 } });
    expect(noGpu.gpuAllowed.flat().some((ok) => ok)).toBe(false);
    expect(noGpu.score(allGpu(noGpu.gpuAllowed))).toBe(noGpu.score(allCpu(noGpu.sizes)));
  });

  it('latency objective: faster plans score higher', () => {
    const objective = new SimObjective({ ...GPU_FRIENDLY, objective: 'latency' });
    const cpu = objective.score(allCpu(objective.sizes));
    const gpu = objective.score(allGpu(objective.gpuAllowed));
    expect(cpu).toBeLessThan(0);
    expect(gpu).toBeGreaterThan(cpu);
    expect(gpu).toBeGreaterThan(objective.score(alternating(objective)));
  });

  it('describes a plan per tenant', () => {
    const objective = new SimObjective(GPU_FRIENDLY);
    const plan = objective.describe(alternating(objective));
    expect(plan.tenants.map((tenant) => tenant.name)).toEqual(['tenant0', 'tenant1']);
    for (const tenant of plan.tenants) {
      expect(tenant.segments).toBeGreaterThan(10);
      expect(tenant.p99LatencyMs).toBeGreaterThanOrEqual(tenant.p50LatencyMs);
      expect(tenant.p50LatencyMs).toBeGreaterThanOrEqual(tenant.unloadedLatencyMs * 0.99);
      expect(tenant.throughputPerS).toBeGreaterThan(0);
    }
    expect(plan.allWithinSlo).toBe(true);
    expect(objective.evaluations).toBe(0);
  });

  it('rejects invalid options', () => {
    expect(() => new SimObjective(GPU_FRIENDLY, { bisectionSteps: 0 })).toThrow(/bisectionSteps/);
  });
});
