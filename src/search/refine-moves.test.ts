import { describe, expect, it } from 'vitest';
import { Rng } from '../common/index.js';
import { adjacencyOf } from '../graph/index.js';
import { ON_CPU, ON_GPU } from './problem.js';
import { MAX_RUN, randomMove, sameSideGroups, systematicMoves } from './refine-moves.js';
import { randomDag, syntheticDag } from './test-dag.js';

/** A chain 0 -> 1 -> ... -> n-1. */
function chain(n: number) {
  return adjacencyOf(
    syntheticDag(Array.from({ length: n }, (_, i) => ({ inputs: [i - 1], flops: 1000, bytesOut: 64 }))),
  );
}

/** The operators whose side differs between two placements. */
function changed(before: Uint8Array, after: Uint8Array): number[] {
  return Array.from(before.keys()).filter((op) => before[op] !== after[op]);
}

const sidesOf = (text: string): Uint8Array => Uint8Array.from(text, (c) => Number(c));

describe("randomMove 'flip-run'", () => {
  it('flips a run of at most MAX_RUN operators of one group to the other side', () => {
    const adjacency = chain(30);
    // Groups: 0-11 CPU, 12-19 GPU, 20-29 CPU.
    const sides = sidesOf(`${'0'.repeat(12)}${'1'.repeat(8)}${'0'.repeat(10)}`);
    // Pinned operators inside both CPU groups (the start itself respects them).
    const allowed = Array.from({ length: 30 }, (_, op) => ![3, 10, 24].includes(op));
    const groups = sameSideGroups(adjacency, sides);
    expect(groups.map((group) => group.length)).toEqual([12, 8, 10]);
    const rng = new Rng(17);
    let moves = 0;
    for (let draw = 0; draw < 300; draw++) {
      const moved = randomMove('flip-run', rng, adjacency, sides, allowed);
      if (!moved) continue;
      moves++;
      const flipped = changed(sides, moved);
      expect(flipped.length).toBeGreaterThan(0);
      const group = groups.find((candidate) => candidate.includes(flipped[0] ?? -1)) ?? [];
      // All in one group, within a stretch of at most MAX_RUN consecutive operators of it.
      for (const op of flipped) expect(group).toContain(op);
      const positions = flipped.map((op) => group.indexOf(op));
      expect(Math.max(...positions) - Math.min(...positions)).toBeLessThan(MAX_RUN);
      // Moved to the other side of the group; pinned operators never onto the GPU.
      for (const op of flipped) expect(moved[op]).toBe(sides[op] === ON_GPU ? ON_CPU : ON_GPU);
      moved.forEach((side, op) => {
        if (!allowed[op]) expect(side).toBe(ON_CPU);
      });
    }
    expect(moves).toBeGreaterThan(250);
  });

  it('returns null where the only run it could flip is pinned', () => {
    const adjacency = chain(3);
    const sides = sidesOf('000');
    const rng = new Rng(1);
    for (let draw = 0; draw < 50; draw++)
      expect(randomMove('flip-run', rng, adjacency, sides, [false, false, false])).toBeNull();
  });
});

describe('systematicMoves', () => {
  it('lists boundary flips, group moves, then interior runs shortest first', () => {
    // Groups 0-5 (CPU) and 6-11 (GPU); runs of up to 2 strictly inside each group.
    const sides = sidesOf('000000111111');
    const allowed = new Array<boolean>(12).fill(true);
    const moves = [...systematicMoves(chain(12), sides, allowed, 2)].map((moved) => changed(sides, moved));
    const expected = [
      [5],
      [6],
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
      [1],
      [2],
      [3],
      [4],
      [7],
      [8],
      [9],
      [10],
      [1, 2],
      [2, 3],
      [3, 4],
      [7, 8],
      [8, 9],
      [9, 10],
    ];
    expect(moves).toEqual(expected);
  });

  it('turns every interior run of a one-group tenant into an island of the other side', () => {
    const n = 12;
    const sides = new Uint8Array(n);
    const moves = [...systematicMoves(chain(n), sides, new Array<boolean>(n).fill(true))];
    // Runs [start, start + length) with 1 <= start and start + length <= n - 1, length <= MAX_RUN.
    const expected: string[] = [];
    for (let length = 1; length <= MAX_RUN; length++)
      for (let start = 1; start + length <= n - 1; start++)
        expected.push(Array.from({ length }, (_, k) => start + k).join(','));
    expect(expected).toHaveLength(10 + 9 + 8 + 7 + 6 + 5 + 4 + 3);
    // The first move is the whole group; the rest are the islands, in that order.
    expect(changed(sides, moves[0] ?? sides)).toHaveLength(n);
    const islands = moves.slice(1).map((moved) => changed(sides, moved));
    expect(islands.map((ops) => ops.join(','))).toEqual(expected);
    for (const [index, ops] of islands.entries()) {
      const moved = moves[index + 1] as Uint8Array;
      for (const op of ops) expect(moved[op]).toBe(ON_GPU);
      // An island: the neighbours on either side stay on the CPU.
      expect(moved[(ops[0] ?? 0) - 1]).toBe(ON_CPU);
      expect(moved[(ops.at(-1) ?? 0) + 1]).toBe(ON_CPU);
    }
  });

  it('never puts a pinned operator on the GPU, and never yields a move that changes nothing', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const graph = randomDag(rng, 40);
      const adjacency = adjacencyOf(graph);
      const allowed = graph.ops.map(() => !rng.bool(0.3));
      const sides = Uint8Array.from(allowed, (ok) => (ok && rng.bool(0.5) ? ON_GPU : ON_CPU));
      let count = 0;
      for (const moved of systematicMoves(adjacency, sides, allowed)) {
        count++;
        expect(changed(sides, moved).length).toBeGreaterThan(0);
        moved.forEach((side, op) => {
          if (!allowed[op]) expect(side).toBe(ON_CPU);
        });
      }
      expect(count).toBeGreaterThan(0);
    }
  });

  it('skips a run that consists only of pinned operators', () => {
    // One CPU group 0-5; op 2 pinned: the interior run [2] changes nothing, so is not yielded.
    const sides = new Uint8Array(6);
    const allowed = [true, true, false, true, true, true];
    const singles = [...systematicMoves(chain(6), sides, allowed, 1)].map((moved) => changed(sides, moved));
    expect(singles).toEqual([[0, 1, 3, 4, 5], [1], [3], [4]]);
  });
});
