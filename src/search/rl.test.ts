import { describe, expect, it } from 'vitest';
import { Rng } from '../common/index.js';
import type { GraphIR } from '../graph/index.js';
import type { Block } from './blocks.js';
import { coarsenAll } from './coarsen.js';
import { type Assignment, type Objective, ON_GPU } from './problem.js';
import { rlSearch } from './rl.js';
import { randomDag } from './test-dag.js';
import { loadTf } from './tf-backend.js';

/**
 * An additive objective with a known optimum: each operator has a cost per side (regions of ten
 * operators share a preferred side), and every tensor crossing sides costs `msPerByte` per byte.
 * Score = -(total ms). Its optimum is an s-t minimum cut, computed exactly below.
 */
class AdditiveObjective implements Objective {
  readonly sizes: number[];
  readonly gpuAllowed: boolean[][];
  evaluations = 0;

  constructor(
    readonly graphs: readonly GraphIR[],
    readonly cpuMs: readonly Float64Array[],
    readonly gpuMs: readonly Float64Array[],
    readonly msPerByte: number,
  ) {
    this.sizes = graphs.map((g) => g.ops.length);
    this.gpuAllowed = gpuMs.map((costs) => Array.from(costs, Number.isFinite));
  }

  score(assignment: Assignment): number {
    this.evaluations++;
    let totalMs = 0;
    this.graphs.forEach((graph, t) => {
      const sides = assignment[t] as Uint8Array;
      for (const op of graph.ops) {
        const gpu = sides[op.index] === ON_GPU;
        if (gpu && !this.gpuAllowed[t]?.[op.index]) throw new Error('pinned op placed on the GPU');
        totalMs += ((gpu ? this.gpuMs[t] : this.cpuMs[t]) as Float64Array)[op.index] as number;
      }
      for (const [from, to, bytes] of opEdges(graph)) {
        if (sides[from] !== sides[to]) totalMs += bytes * this.msPerByte;
      }
    });
    return -totalMs;
  }

  /** The exact optimum (tenants are independent: one min cut each). */
  optimum(): number {
    return -this.graphs.reduce(
      (sum, graph, t) => sum + minCut(graph, this.cpuMs[t], this.gpuMs[t], this.msPerByte),
      0,
    );
  }

  blockCost(tenant: number, block: Block): { cpuMs: number; gpuMs: number } {
    let cpuMs = 0;
    let gpuMs = 0;
    for (const op of block.ops) {
      cpuMs += this.cpuMs[tenant]?.[op] as number;
      gpuMs += this.gpuMs[tenant]?.[op] as number;
    }
    return { cpuMs, gpuMs };
  }
}

function opEdges(graph: GraphIR): [number, number, number][] {
  const edges: [number, number, number][] = [];
  for (const tensor of Object.values(graph.tensors)) {
    if (tensor.producer === null) continue;
    for (const to of tensor.consumers) edges.push([tensor.producer, to, tensor.bytes ?? 0]);
  }
  return edges;
}

/** Edmonds-Karp on source (CPU side) -> ops -> sink (GPU side). */
function minCut(
  graph: GraphIR,
  cpuMs: Float64Array | undefined,
  gpuMs: Float64Array | undefined,
  msPerByte: number,
): number {
  const n = graph.ops.length + 2;
  const source = n - 2;
  const sink = n - 1;
  const cap = new Float64Array(n * n);
  for (let op = 0; op < n - 2; op++) {
    const gpu = gpuMs?.[op] as number;
    cap[source * n + op] = Number.isFinite(gpu) ? gpu : 1e12; // cut when op goes to the GPU side
    cap[op * n + sink] = cpuMs?.[op] as number; // cut when op stays on the CPU side
  }
  for (const [from, to, bytes] of opEdges(graph)) {
    cap[from * n + to] = (cap[from * n + to] as number) + bytes * msPerByte;
    cap[to * n + from] = (cap[to * n + from] as number) + bytes * msPerByte;
  }
  let flow = 0;
  for (;;) {
    const prev = new Int32Array(n).fill(-1);
    prev[source] = source;
    const queue = [source];
    while (queue.length > 0 && prev[sink] === -1) {
      const u = queue.shift() as number;
      for (let v = 0; v < n; v++) {
        if (prev[v] === -1 && (cap[u * n + v] as number) > 1e-12) {
          prev[v] = u;
          queue.push(v);
        }
      }
    }
    if (prev[sink] === -1) return flow;
    let push = Number.POSITIVE_INFINITY;
    for (let v = sink; v !== source; v = prev[v] as number)
      push = Math.min(push, cap[(prev[v] as number) * n + v] as number);
    for (let v = sink; v !== source; v = prev[v] as number) {
      const u = prev[v] as number;
      cap[u * n + v] = (cap[u * n + v] as number) - push;
      cap[v * n + u] = (cap[v * n + u] as number) + push;
    }
    flow += push;
  }
}

function problem(
  seed: number,
  tenants: number,
  ops: number,
): { objective: AdditiveObjective; graphs: GraphIR[] } {
  const rng = new Rng(seed);
  const graphs = Array.from({ length: tenants }, () => randomDag(rng, ops));
  const cpuMs: Float64Array[] = [];
  const gpuMs: Float64Array[] = [];
  for (const graph of graphs) {
    const regionPrefersGpu = Array.from({ length: Math.ceil(ops / 10) }, () => rng.bool(0.5));
    const cpu = new Float64Array(ops);
    const gpu = new Float64Array(ops);
    for (const op of graph.ops) {
      const fast = rng.range(0.2, 1);
      const slow = fast * rng.range(2, 4);
      const prefersGpu = regionPrefersGpu[Math.floor(op.index / 10)] === true;
      cpu[op.index] = prefersGpu ? slow : fast;
      gpu[op.index] = rng.bool(0.05) ? Number.POSITIVE_INFINITY : prefersGpu ? fast : slow;
    }
    cpuMs.push(cpu);
    gpuMs.push(gpu);
  }
  // Scaled so that a typical crossing tensor (~30 kB) costs about one operator's time.
  return { objective: new AdditiveObjective(graphs, cpuMs, gpuMs, 1 / 30_000), graphs };
}

function randomMean(objective: AdditiveObjective, seed: number, samples: number): number {
  const rng = new Rng(seed);
  let sum = 0;
  for (let i = 0; i < samples; i++) {
    const assignment = objective.gpuAllowed.map((allowed) =>
      Uint8Array.from(allowed, (ok) => (ok && rng.bool() ? 1 : 0)),
    );
    sum += objective.score(assignment);
  }
  return sum / samples;
}

async function solve(seed: number, options: Parameters<typeof rlSearch>[3] = {}) {
  const { objective, graphs } = problem(seed, 3, 60);
  const blocks = coarsenAll(graphs, objective.gpuAllowed, { maxBlocksPerTenant: 16 });
  const result = await rlSearch(objective, blocks, (t, b) => objective.blockCost(t, b), {
    seed: 7,
    ...options,
  });
  return { objective, result };
}

/** Evaluations until the best score came within `gap` of `target` (Infinity if never). */
function evaluationsToReach(
  trace: readonly { evaluations: number; bestScore: number }[],
  target: number,
  gap: number,
): number {
  return trace.find((p) => p.bestScore >= target - gap)?.evaluations ?? Number.POSITIVE_INFINITY;
}

describe('rlSearch', () => {
  it('nears the exact optimum of an additive objective and beats random placements', async () => {
    const { objective, result } = await solve(1, { episodes: 512 });
    const optimum = objective.optimum();
    const random = randomMean(objective, 99, 200);
    const closed = (result.score - random) / (optimum - random);
    console.log(
      `backend ${result.backend}: optimum ${optimum.toFixed(2)}, rl ${result.score.toFixed(2)}, random mean ${random.toFixed(2)}, ` +
        `gap closed ${(closed * 100).toFixed(1)}% in ${result.evaluations} evaluations`,
    );
    expect(result.score).toBeLessThanOrEqual(optimum + 1e-9);
    // Blocks straddle the cost regions (coarsening sees bytes and flops, not costs), so the block-level
    // optimum itself leaves ~6% of this gap; refinement at operator level is phase 2's job.
    expect(closed).toBeGreaterThan(0.85);
    expect(objective.score(result.assignment)).toBeCloseTo(result.score, 9);
    // The policy learnt: the last batch samples much closer to the optimum than the first did.
    const first = result.learningCurve[0]?.meanReward as number;
    const last = result.learningCurve.at(-1)?.meanReward as number;
    expect(last - first).toBeGreaterThan(0.4 * (optimum - first));
  });

  it('is reproducible for a seed', async () => {
    const a = await solve(2, { episodes: 96 });
    const b = await solve(2, { episodes: 96 });
    expect(b.result.score).toBe(a.result.score);
    expect(b.result.learningCurve).toEqual(a.result.learningCurve);
    expect(b.result.policy).toEqual(a.result.policy);
    const c = await solve(2, { episodes: 96, seed: 8 });
    expect(c.result.learningCurve).not.toEqual(a.result.learningCurve);
  });

  it('warm-starts from saved weights: reaches a good score in fewer evaluations', async () => {
    const trained = await solve(3, { episodes: 512 });
    const saved = JSON.parse(JSON.stringify(trained.result.policy));
    // A different problem (other graphs, other costs): what transfers is the shared MLP.
    const fresh = problem(4, 3, 60).objective;
    const scratch = await solve(4, { episodes: 256 });
    const warm = await solve(4, { episodes: 256, warmStart: saved });
    // "Good": within 10% (of the random-to-scratch-final gap) of what scratch reaches in the end.
    const gap = 0.1 * (scratch.result.score - randomMean(fresh, 5, 100));
    const scratchEvals = evaluationsToReach(scratch.result.trace, scratch.result.score, gap);
    const warmEvals = evaluationsToReach(warm.result.trace, scratch.result.score, gap);
    console.log(`to a good score: scratch ${scratchEvals} evaluations, warm ${warmEvals}`);
    expect(warmEvals).toBeLessThan(scratchEvals / 2);
  });

  it('respects pinned operators and the evaluation budget', async () => {
    const { objective, result } = await solve(5, { maxEvaluations: 40, batchSize: 8 });
    expect(result.evaluations).toBeLessThanOrEqual(40 + 8 + 1);
    result.assignment.forEach((sides, t) => {
      sides.forEach((side, op) => {
        if (side === ON_GPU) expect(objective.gpuAllowed[t]?.[op]).toBe(true);
      });
    });
  });

  it('rejects bad options', async () => {
    await expect(solve(6, { batchSize: 1 })).rejects.toThrow(/batchSize must be an integer >= 2/);
    await expect(solve(6, { learningRate: 0 })).rejects.toThrow(/learningRate must be > 0/);
  });

  it('leaves no tensors behind, warm-started or not, failing or not: the search worker runs search after search', async () => {
    const { tf } = await loadTf();
    const before = tf.memory().numTensors;
    const trained = await solve(7, { episodes: 48 });
    await solve(7, { episodes: 48, warmStart: trained.result.policy });
    // An objective that fails mid-search (its 41st call: after two policy updates).
    const { objective, graphs } = problem(7, 3, 60);
    const blocks = coarsenAll(graphs, objective.gpuAllowed, { maxBlocksPerTenant: 16 });
    const failing = Object.assign(Object.create(objective) as AdditiveObjective, {
      score: (assignment: Assignment) => {
        if (objective.evaluations >= 40) throw new Error('objective failed');
        return objective.score(assignment);
      },
    });
    await expect(
      rlSearch(failing, blocks, (t, b) => objective.blockCost(t, b), { seed: 7, episodes: 96 }),
    ).rejects.toThrow(/objective failed/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
