import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../../test/helpers/reference.js';
import { exampleFeeds, modelPath } from '../models/index.js';
import type { Plan } from '../partition/index.js';
import type { TensorData } from '../tensor/index.js';
import { Engine, type ServedModel } from './index.js';

/** Fresh feeds (a request's buffers are moved to the worker): the same seed gives the same tensors. */
const feeds = (seed: number) => new Map(Object.entries(exampleFeeds('ppocr-cls', { seed })));

function outputOf(outputs: ReadonlyMap<string, TensorData>): Float32Array {
  return [...outputs.values()][0]?.data as Float32Array;
}

/** Session ids of every segment an applied plan's routes run. */
function appliedSessions(served: ServedModel): number[] {
  const { applied } = served;
  const executables = applied
    ? [applied.main, ...(applied.alternate ? [applied.alternate.executable] : [])]
    : [];
  return executables.flatMap((executable) => executable.segments.map((segment) => segment.session.id));
}

describe('Engine with a plan that has an alternate', () => {
  let engine: Engine;
  let served: ServedModel;
  let whole: Plan;
  let halves: Plan;

  beforeAll(async () => {
    engine = new Engine({ cpuThreads: 1, intraOpThreads: 1, maxQueueLength: 8 });
    served = await engine.loadFile(modelPath('ppocr-cls'), 'cls@1');
    // The first request is the model's sample (shapes for the plans).
    await engine.infer(served, feeds(0));
    whole = await engine.plan(served, { spec: 'all-cpu' });
    halves = await engine.plan(served, { spec: 'chunks:2' });
  });
  afterAll(async () => {
    await engine.close();
  });

  it('runs the alternate on every other request at share 0.5, with the whole model’s outputs', async () => {
    expect(whole.segments).toHaveLength(1);
    expect(halves.segments).toHaveLength(2);
    const plan = await engine.applyPlan(served, {
      plan: { ...whole, alternate: { share: 0.5, plan: halves } },
    });
    expect(plan.alternate).toEqual({ share: 0.5, plan: halves });
    // The main route runs whole on the CPU, yet the plan is applied: its alternate is what it changes.
    expect(engine.activePlan(served)).toEqual(plan);
    const segments: number[] = [];
    const alternates: boolean[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      // A request given its own placement bypasses the split: it takes no turn between these.
      const expected = await engine.infer(served, feeds(seed), { placement: { spec: 'all-cpu' } });
      expect(expected).toMatchObject({ segments: 1, alternate: false });
      const result = await engine.infer(served, feeds(seed));
      segments.push(result.segments);
      alternates.push(result.alternate);
      expect(maxAbsDiff(outputOf(result.outputs), outputOf(expected.outputs))).toBeLessThanOrEqual(1e-5);
    }
    expect(segments).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
    expect(alternates).toEqual([false, true, false, true, false, true, false, true]);
    // Given as one request's placement, the plan runs its main placement.
    expect(await engine.infer(served, feeds(9), { placement: { plan } })).toMatchObject({
      segments: 1,
      alternate: false,
    });
  });

  it('starts the split afresh when a plan is applied, and runs a partitioned main with a whole alternate', async () => {
    const plan = { ...halves, alternate: { share: 1 / 4, plan: whole } };
    await engine.applyPlan(served, { plan });
    // One request in: the router's credit is 1/4 when the same plan is applied again.
    expect((await engine.infer(served, feeds(1))).segments).toBe(2);
    await engine.applyPlan(served, { plan });
    const results = [];
    for (let seed = 1; seed <= 8; seed++) results.push(await engine.infer(served, feeds(seed)));
    expect(results.map((result) => result.segments)).toEqual([2, 2, 2, 1, 2, 2, 2, 1]);
    expect(results.map((result) => result.alternate)).toEqual([
      false,
      false,
      false,
      true,
      false,
      false,
      false,
      true,
    ]);
    expect(engine.activePlan(served)?.alternate?.share).toBe(1 / 4);
    // all-cpu without an alternate takes the plan back: no plan is active.
    await engine.applyPlan(served, { spec: 'all-cpu' });
    expect(engine.activePlan(served)).toBeUndefined();
    expect(await engine.infer(served, feeds(1))).toMatchObject({ segments: 1, alternate: false });
  });

  it('pins the alternate as the plan, and drops one that pinning makes the plan itself', async () => {
    // No GPU on this engine: every operator the alternate wants on gpu:0 comes back to the CPU.
    const { kind, version, model, placement } = whole;
    const onGpu = {
      kind,
      version,
      model,
      placement: Object.fromEntries(Object.keys(placement).map((id) => [id, 'gpu:0'])),
    };
    const plan = await engine.plan(served, { plan: { ...halves, alternate: { share: 0.5, plan: onGpu } } });
    expect(plan.alternate?.plan.placement).toEqual(whole.placement);
    expect(plan.alternate?.plan.pinned).toHaveLength(Object.keys(placement).length);
    expect(new Set(plan.alternate?.plan.pinned.map((pin) => pin.reason))).toEqual(new Set(['no-gpu']));
    expect(plan.alternate?.plan.segments).toHaveLength(1);
    // An all-cpu plan whose alternate is pinned back to all-cpu is just all-cpu.
    const pinnedAway = await engine.applyPlan(served, {
      plan: { ...whole, alternate: { share: 0.5, plan: onGpu } },
    });
    expect('alternate' in pinnedAway).toBe(false);
    expect(engine.activePlan(served)).toBeUndefined();
  });

  it('keeps the applied routes’ sessions while other placements come and go, and releases all on unload', async () => {
    const others = await until(() => true);
    const model = await engine.loadFile(modelPath('ppocr-cls'), 'cls@2');
    await engine.infer(model, feeds(0));
    const quarters = await engine.plan(model, { spec: 'chunks:4' });
    await engine.applyPlan(model, { plan: { ...quarters, alternate: { share: 0.5, plan: halves } } });
    const held = appliedSessions(model);
    expect(held).toHaveLength(6);
    await until((sessions) => held.every((id) => sessions.has(id)));
    // More placements than the planner keeps (8): the oldest are evicted, the applied plan's stay.
    for (let count = 5; count <= 14; count++)
      await engine.infer(model, feeds(count), { placement: { spec: `chunks:${count}` } });
    const loaded = await until((sessions) => held.every((id) => sessions.has(id)));
    expect(loaded.size - others.size).toBeGreaterThan(held.length + 8 * 5);
    await engine.unload(model);
    // Everything the model built is released: the worker holds the other model's sessions only.
    await until((sessions) => sessions.size === others.size && [...others].every((id) => sessions.has(id)));
  });

  /** Polls the CPU worker's sessions until `condition` holds of them, and returns them; fails after 10 s. */
  async function until(condition: (sessions: Set<number>) => boolean): Promise<Set<number>> {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      const sessions = new Set((await engine.workerStats()).sessionIds);
      if (condition(sessions)) return sessions;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('condition did not hold within 10 s');
  }
});
