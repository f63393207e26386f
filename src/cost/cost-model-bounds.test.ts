import { describe, expect, it } from 'vitest';
import { CPU_COSTS, fixtureGraph, fixtureMachine, fixtureModelProfile } from './cost-fixture.js';
import { CostModel } from './cost-model.js';

/** The CostModel terms only the LP bound reads: the longest a segment can run, the workers' least waits. */

const graph = fixtureGraph();

function model(profile = fixtureModelProfile(), machine = fixtureMachine()): CostModel {
  return new CostModel(graph, machine, profile, { cpuThreads: 1 });
}

function op(index: number) {
  const found = graph.ops[index];
  if (!found) throw new Error(`no op ${index}`);
  return found;
}

describe('CostModel bounds on segment runs and the workers’ waits (for the LP bound)', () => {
  /** The boundary of a segment holding `ops`: what it reads from elsewhere, what it writes for elsewhere. */
  function boundary(ops: readonly number[]): { inputs: string[]; outputs: string[] } {
    const inside = new Set(ops);
    const inputs = new Set<string>();
    const outputs = new Set<string>();
    for (const index of ops) {
      for (const name of op(index).inputs) {
        const tensor = graph.tensors[name];
        if (
          tensor &&
          tensor.kind !== 'initializer' &&
          (tensor.producer === null || !inside.has(tensor.producer))
        )
          inputs.add(name);
      }
      for (const name of op(index).outputs) {
        const tensor = graph.tensors[name];
        if (tensor && (tensor.isGraphOutput || tensor.consumers.some((reader) => !inside.has(reader))))
          outputs.add(name);
      }
    }
    return { inputs: [...inputs], outputs: [...outputs] };
  }

  it('puts no segment of any operators above segmentMsCeiling, on either pool', () => {
    const profile = fixtureModelProfile();
    const cpu = { ...CPU_COSTS, intactRatio: 1.2, outputMsPerMiB: 0.1, perTensorMs: 0.01 };
    const fitted = model({ ...profile, cpu: { '1': cpu } });
    for (const pool of ['cpu', 'gpu:0'] as const) {
      const ceilingMs = fitted.segmentMsCeiling(pool);
      let highestMs = 0;
      for (let mask = 1; mask < 1 << graph.ops.length; mask++) {
        const ops = graph.ops.map((o) => o.index).filter((index) => (mask >> index) & 1);
        const { inputs, outputs } = boundary(ops);
        highestMs = Math.max(highestMs, fitted.segmentMs(ops, inputs, outputs, pool));
      }
      expect(ceilingMs).toBeGreaterThanOrEqual(highestMs);
      // A ceiling, not a guess: within a few times the dearest segment on this small graph.
      expect(ceilingMs).toBeLessThan(4 * highestMs);
    }
  });

  it('floors the waits by the workerIdle points, the per-MiB part for the request’s own tensors', () => {
    const machine = fixtureMachine();
    const points = [
      { runMs: 0.1, fixedMs: 0.3, msPerMiB: 0.4 },
      { runMs: 1, fixedMs: 0.1, msPerMiB: 0.2 },
    ];
    const waiting = model(fixtureModelProfile(), {
      ...machine,
      cpu: { ...machine.cpu, workerIdle: { points } },
    });
    expect(waiting.workerIdleFixedFloorMs(0.5)).toBeCloseTo(0.3 - (0.4 / 0.9) * 0.2, 12);
    expect(waiting.workerIdleMsPerMiBFloor(0.5)).toBeCloseTo(0.4 - (0.4 / 0.9) * 0.2, 12);
    // The request's own 2 MiB: x and z in, y out.
    expect(waiting.workerIdleBytesFloorMs()).toBeCloseTo(0.2 * 2, 12);
  });
});
