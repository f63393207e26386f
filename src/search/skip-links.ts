import { type Adjacency, adjacencyOf, type GraphIR } from '../graph/index.js';

/**
 * Where a tensor skips ahead: a reader that also depends on its producer through other operators
 * (a residual's shortcut, a feature pyramid's lateral). Producer and reader on one pool cannot
 * share a segment when any operator between them runs on the other pool: the segments would
 * depend on each other both ways. So the tensor is handed out of one segment and into another
 * there, which the LP bound charges (lp-bound.ts).
 */
export interface SkipLink {
  readonly tensor: string;
  readonly producer: number;
  readonly reader: number;
  /** The operators on some path from producer to reader, neither included, ascending. */
  readonly between: readonly number[];
}

/**
 * The graph's skip links, the largest tensors first, while the operators between them add up to at
 * most `maxBetweenOps` (each costs the LP a row per pool). Leaving links out only loosens the bound.
 */
export function skipLinks(graph: GraphIR, maxBetweenOps: number): SkipLink[] {
  const adjacency = adjacencyOf(graph);
  const candidates = Object.values(graph.tensors)
    .filter((tensor) => tensor.producer !== null && (tensor.bytes ?? 0) > 0 && tensor.kind !== 'initializer')
    .sort((a, b) => (b.bytes ?? 0) - (a.bytes ?? 0) || (a.name < b.name ? -1 : 1));
  const links: SkipLink[] = [];
  let budget = maxBetweenOps;
  const seen = new Uint8Array(graph.ops.length);
  for (const tensor of candidates) {
    const producer = tensor.producer as number;
    for (const reader of new Set(tensor.consumers)) {
      const between = opsBetween(producer, reader, adjacency, seen);
      if (between.length === 0) continue;
      if (between.length > budget) continue;
      budget -= between.length;
      links.push({ tensor: tensor.name, producer, reader, between });
    }
  }
  return links;
}

/**
 * Operators on a path from `from` to `to` other than the two, in a graph whose operators are in
 * topological order (so every such operator's index lies between theirs, and a neighbour with a
 * higher index is a reader): forward from `from`, then back from `to` over what the forward walk
 * reached.
 */
function opsBetween(from: number, to: number, adjacency: Adjacency, seen: Uint8Array): number[] {
  const { start, neighbours } = adjacency;
  seen.fill(0, from, to + 1);
  const stack = [from];
  while (stack.length > 0) {
    const op = stack.pop() as number;
    for (let i = start[op] ?? 0; i < (start[op + 1] ?? 0); i++) {
      const next = neighbours[i] ?? 0;
      if (next <= op || next >= to || seen[next] === 1) continue;
      seen[next] = 1;
      stack.push(next);
    }
  }
  // seen: 1 reached from `from`; 2 also reaches `to`.
  const between: number[] = [];
  stack.push(to);
  while (stack.length > 0) {
    const op = stack.pop() as number;
    for (let i = start[op] ?? 0; i < (start[op + 1] ?? 0); i++) {
      const previous = neighbours[i] ?? 0;
      if (previous >= op || previous <= from || seen[previous] !== 1) continue;
      seen[previous] = 2;
      between.push(previous);
      stack.push(previous);
    }
  }
  return between.sort((a, b) => a - b);
}
