import { describe, expect, it } from 'vitest';
import type { GraphIR, TensorInfo } from '../graph/index.js';
import { type Assignment, budgetSide, type Objective, ON_CPU, ON_GPU } from './problem.js';
import { narrowestCuts, rangeSweep, shiftRunEnds } from './range-sweep.js';
import { handOp, handTensor, TWO_OP_GRAPH } from './two-op-fixture.js';

const MiB = 1 << 20;

/** A chain of `sizes.length` operators; the tensor out of operator k is `sizes[k]` MiB. */
function chain(sizes: readonly number[]): GraphIR {
  const name = (k: number): string => (k < 0 ? 'in' : k === sizes.length - 1 ? 'out' : `t${k}`);
  const tensors: Record<string, TensorInfo> = { in: handTensor('in', 'input', null, [0]) };
  sizes.forEach((miB, k) => {
    const tensor = handTensor(name(k), 'intermediate', k, k + 1 < sizes.length ? [k + 1] : []);
    tensors[name(k)] = { ...tensor, bytes: miB * MiB };
  });
  return {
    ...TWO_OP_GRAPH,
    graphName: 'chain',
    ops: sizes.map((_, k) => handOp(k, `op${k}`, [name(k - 1)], [name(k)])),
    tensors,
  };
}

/**
 * A stand-in objective for one tenant: higher the closer its GPU operators are to `target`
 * (minus the operators placed differently), so that the best placement is known.
 */
function towards(target: readonly number[], gpuAllowed: readonly boolean[]): Objective {
  const wanted = new Set(target);
  const scores = new Map<string, number>();
  return {
    sizes: [gpuAllowed.length],
    gpuAllowed: [gpuAllowed],
    get evaluations() {
      return scores.size;
    },
    score(assignment: Assignment) {
      const sides = assignment[0] ?? new Uint8Array(0);
      const key = sides.join('');
      let score = 0;
      sides.forEach((side, op) => {
        if ((side === ON_GPU) !== wanted.has(op)) score--;
      });
      scores.set(key, score);
      return score;
    },
  };
}

describe('narrowestCuts', () => {
  it('cuts where the fewest bytes are live, at least 3 operators apart, with both ends', () => {
    // Tensors out of operators 3 and 9 are the narrowest (0.1 MiB): cuts after them, at 4 and 10;
    // then 7 (0.5 MiB), as 4 and 10 leave room for it.
    const graph = chain([4, 4, 4, 0.1, 4, 4, 0.5, 4, 4, 0.1, 4, 4]);
    expect(narrowestCuts(graph, 3)).toEqual([0, 4, 7, 10, 12]);
    // Never two within 3: 5, after a 0.2 MiB tensor, is too close to 4.
    const close = chain([4, 4, 4, 0.1, 0.2, 4, 4, 4]);
    expect(narrowestCuts(close, 2)).toContain(4);
    expect(narrowestCuts(close, 2)).not.toContain(5);
  });
});

describe('rangeSweep', () => {
  const graph = chain([4, 4, 4, 0.1, 4, 4, 0.5, 4, 4, 0.1, 4, 4]);

  it('finds the GPU run between two narrow cuts that single moves would reach slowly', () => {
    // Best: operators 4 to 9 on the GPU (the run between cuts 4 and 10).
    const objective = towards(
      [4, 5, 6, 7, 8, 9],
      graph.ops.map(() => true),
    );
    const start = [new Uint8Array(graph.ops.length)];
    const swept = rangeSweep(objective, [graph], start, { cuts: 3, rounds: 2 });
    expect(Array.from(swept.assignment[0] ?? [])).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(swept.score).toBe(0);
    // The start is left as it was.
    expect(Array.from(start[0] ?? [])).toEqual(graph.ops.map(() => ON_CPU));
  });

  it("moves the best run's ends off the narrow cuts where that scores better", () => {
    // Best: operators 5 to 8 on the GPU; the cuts are at 4, 7 and 10.
    const objective = towards(
      [5, 6, 7, 8],
      graph.ops.map(() => true),
    );
    const start = [new Uint8Array(graph.ops.length)];
    const atCuts = rangeSweep(objective, [graph], start, { cuts: 3, rounds: 2, shiftEnds: false });
    expect(atCuts.score).toBeLessThan(0);
    const shifted = rangeSweep(objective, [graph], start, { cuts: 3, rounds: 2 });
    expect(Array.from(shifted.assignment[0] ?? [])).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0]);
    // Moving the ends afterwards gets there too, from the run at the cuts.
    expect(shiftRunEnds(objective, atCuts.assignment).score).toBe(0);
    // A tenant whose GPU operators are not one run is left as it is.
    const scattered = [Uint8Array.from(graph.ops, (op) => (op.index % 3 === 0 ? ON_GPU : ON_CPU))];
    expect(Array.from(shiftRunEnds(objective, scattered).assignment[0] ?? [])).toEqual(
      Array.from(scattered[0] ?? []),
    );
  });

  it('never returns worse than its start, and repeats exactly', () => {
    // The best is no run at all: operators 1 and 11 alone on the GPU.
    const objective = towards(
      [1, 11],
      graph.ops.map(() => true),
    );
    const start = [Uint8Array.from(graph.ops, (op) => (op.index === 1 || op.index === 11 ? ON_GPU : ON_CPU))];
    const swept = rangeSweep(objective, [graph], start, { cuts: 3, rounds: 2 });
    expect(swept.score).toBe(0);
    expect(Array.from(swept.assignment[0] ?? [])).toEqual(Array.from(start[0] ?? []));
    const again = rangeSweep(objective, [graph], start, { cuts: 3, rounds: 2 });
    expect(Array.from(again.assignment[0] ?? [])).toEqual(Array.from(swept.assignment[0] ?? []));
  });

  it('keeps operators the tenant may not run on the GPU, and CPU lanes, where they were', () => {
    const allowed = graph.ops.map((op) => op.index !== 5);
    const objective = towards([4, 5, 6, 7, 8, 9], allowed);
    const lane = budgetSide(0);
    const start = [Uint8Array.from(graph.ops, (op) => (op.index === 0 ? lane : ON_CPU))];
    const swept = rangeSweep(objective, [graph], start, { cuts: 3, rounds: 2 });
    const sides = Array.from(swept.assignment[0] ?? []);
    expect(sides[5]).toBe(ON_CPU);
    expect(sides[0]).toBe(lane);
    expect(sides.slice(6, 10)).toEqual([ON_GPU, ON_GPU, ON_GPU, ON_GPU]);
  });

  it('tries nothing more once its time is up, and returns what it had', () => {
    const objective = towards(
      [4, 5, 6, 7, 8, 9],
      graph.ops.map(() => true),
    );
    const start = [new Uint8Array(graph.ops.length)];
    // Time is up after three evaluations: the start's and two runs'.
    const swept = rangeSweep(
      objective,
      [graph],
      start,
      { cuts: 3, rounds: 2 },
      () => objective.evaluations >= 3,
    );
    expect(objective.evaluations).toBe(3);
    expect(swept.score).toBeGreaterThanOrEqual(objective.score(start));
    expect(Object.keys(swept).sort()).toEqual(['assignment', 'score']);
  });
});
