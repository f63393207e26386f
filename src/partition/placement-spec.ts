import { Code, HetschedError, Rng } from '../common/index.js';
import type { GraphIR } from '../graph/index.js';
import { CPU, type ProcessorId, parseProcessor } from './processor.js';

/** How a caller names a placement: every operator on one processor, a seeded random draw, or explicit. */
export type PlacementSpec =
  | { readonly kind: 'all'; readonly processor: ProcessorId }
  | { readonly kind: 'random'; readonly seed: number; readonly processors?: readonly ProcessorId[] }
  /** K contiguous runs of the topological order, alternating between the CPU and CPU lane 1: CPU-only segments. */
  | { readonly kind: 'chunks'; readonly count: number }
  | { readonly kind: 'explicit'; readonly placement: Readonly<Record<string, ProcessorId>> };

/** Operator id -> processor, for every operator of a graph. */
export type Placement = Readonly<Record<string, ProcessorId>>;

/**
 * Parses the text forms the CLI and the Infer RPC take: `all-cpu`, `all-gpu`, `random:SEED`
 * (each operator drawn from cpu and gpu:0), `random:SEED@P1,P2,...` (drawn from those processors,
 * e.g. `random:7@cpu,cpu:1` for CPU-only splits), `chunks:K` (K CPU-only segments).
 */
export function parsePlacementSpec(text: string): PlacementSpec {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'all-cpu') return { kind: 'all', processor: CPU };
  if (trimmed === 'all-gpu') return { kind: 'all', processor: 'gpu:0' };
  const random = /^random:(-?\d+)(?:@([a-z0-9:,]+))?$/.exec(trimmed);
  if (random?.[1] !== undefined && Number.isSafeInteger(Number(random[1]))) {
    const seed = Number(random[1]);
    if (random[2] === undefined) return { kind: 'random', seed };
    return { kind: 'random', seed, processors: [...new Set(random[2].split(',').map(parseProcessor))] };
  }
  const chunks = /^chunks:([1-9]\d{0,4})$/.exec(trimmed);
  if (chunks?.[1] !== undefined) return { kind: 'chunks', count: Number(chunks[1]) };
  throw new HetschedError(
    Code.InvalidArgument,
    `placement '${text}' is not one of: all-cpu, all-gpu, random:SEED[@P1,P2,...], chunks:K, or a plan`,
  );
}

/** The canonical text of a spec (cache keys, plan records, messages). */
export function formatPlacementSpec(spec: PlacementSpec): string {
  if (spec.kind === 'all')
    return spec.processor === CPU
      ? 'all-cpu'
      : spec.processor === 'gpu:0'
        ? 'all-gpu'
        : `all-${spec.processor}`;
  if (spec.kind === 'random')
    return `random:${spec.seed}${spec.processors ? `@${spec.processors.join(',')}` : ''}`;
  if (spec.kind === 'chunks') return `chunks:${spec.count}`;
  return 'explicit';
}

/**
 * The placement a spec asks for, before any operator is pinned back to the CPU. A random draw
 * places each operator independently and uniformly over `processors` (default cpu and gpu:0),
 * seeded, so the same seed gives the same placement.
 */
export function expandPlacement(graph: GraphIR, spec: PlacementSpec): Placement {
  const placement: Record<string, ProcessorId> = {};
  if (spec.kind === 'all') {
    for (const op of graph.ops) placement[op.id] = spec.processor;
  } else if (spec.kind === 'random') {
    const rng = new Rng(spec.seed);
    const processors = spec.processors ?? [CPU, 'gpu:0'];
    for (const op of graph.ops) placement[op.id] = rng.pick(processors);
  } else if (spec.kind === 'chunks') {
    // Run r holds ops [r*n/K, (r+1)*n/K): exactly K non-empty runs (n if K > n) of near-equal size.
    const total = graph.ops.length;
    const runs = Math.min(spec.count, total);
    for (const op of graph.ops)
      placement[op.id] = Math.floor((op.index * runs) / total) % 2 === 0 ? CPU : 'cpu:1';
  } else {
    const known = new Set(graph.ops.map((op) => op.id));
    for (const id of Object.keys(spec.placement)) {
      if (!known.has(id))
        throw new HetschedError(
          Code.InvalidArgument,
          `the placement names operator '${id}', which the model does not have`,
        );
    }
    for (const op of graph.ops) {
      const processor = spec.placement[op.id];
      if (!processor)
        throw new HetschedError(Code.InvalidArgument, `the placement does not place operator '${op.id}'`);
      placement[op.id] = processor;
    }
  }
  return placement;
}
