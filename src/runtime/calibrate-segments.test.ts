import { describe, expect, it } from 'vitest';
import { expandPlacement, makePlan, parsePlacementSpec, planSegments } from '../partition/index.js';
import { syntheticProblem } from '../search/index.js';
import { CALIBRATION_SPLITS, calibrateSegments, MIN_CALIBRATION_SEGMENTS } from './profiler.js';

/**
 * calibrateSegments against a machine whose segments cost exactly a 0.05 ms launch plus their
 * operators (the synthetic profile has no fused groups: every operator is priced intact), from a
 * fallback launch of 0.2 ms: the fit must find the launch, and a small model must be cut more
 * ways than the standard four to give it enough segments.
 */
async function calibrate(operators: number) {
  const tenant = syntheticProblem({ tenants: 1, operators, seed: 3 }).tenants[0];
  if (!tenant) throw new Error('no tenant');
  const { cost, graph } = tenant;
  const cpu = cost.model.cpu['1'];
  if (!cpu) throw new Error('no CPU profile');
  const asked: string[] = [];
  const plan = async (spec: string) => {
    asked.push(spec);
    return makePlan(graph, expandPlacement(graph, parsePlacementSpec(spec)), [], {
      sha256: 'synthetic',
      inputShapes: {},
      spec,
    });
  };
  const run = async (spec: string) => {
    const times = new Map<number, number>();
    for (const segment of planSegments(graph, await plan(spec))) {
      const soloMs = segment.ops.reduce(
        (sum, index) => sum + (cpu.ops[graph.ops[index]?.id ?? '']?.medianMs ?? 0),
        0,
      );
      times.set(segment.id, 0.05 + soloMs);
    }
    return times;
  };
  const fitted = await calibrateSegments(cost, { ...cpu, launchMs: 0.2 }, { runs: 1, plan, run });
  return { fitted, asked: [...new Set(asked)] };
}

describe('calibrateSegments', () => {
  it('cuts a small model more ways until the fit has enough segments', async () => {
    const { fitted, asked } = await calibrate(12);
    expect(asked.slice(0, CALIBRATION_SPLITS.length)).toEqual([...CALIBRATION_SPLITS]);
    expect(asked).toContain('random:103@cpu,cpu:1');
    expect(fitted.fittedSegments).toBeGreaterThanOrEqual(MIN_CALIBRATION_SEGMENTS);
    // Not exact: the whole model is one more sample, timed by the profile (its launch is the
    // machine's). The fixed part of a segment with one input and one output is the 0.05 ms launch,
    // which the fit may share between its launch and per-tensor terms.
    expect((fitted.launchMs ?? Number.NaN) + 2 * fitted.perTensorMs).toBeCloseTo(0.05, 3);
  });

  it('keeps to the standard cuts when they already give enough segments', async () => {
    const { fitted, asked } = await calibrate(300);
    expect(asked).toEqual([...CALIBRATION_SPLITS]);
    expect(fitted.fittedSegments).toBeGreaterThanOrEqual(MIN_CALIBRATION_SEGMENTS);
  });
});
