import type { GraphIR } from './graph-types.js';
import { perGraph } from './per-graph.js';

/**
 * Operator adjacency through tensors (producer <-> reader), undirected, as CSR. Operators are in
 * topological order, so a neighbour with a higher index is a reader and one with a lower index a
 * producer.
 */
export interface Adjacency {
  /** Operator `op`'s neighbours are neighbours[start[op] .. start[op + 1]). */
  readonly start: Int32Array;
  readonly neighbours: Int32Array;
}

/** A graph's adjacency; computed on first use, then shared. */
export const adjacencyOf: (graph: GraphIR) => Adjacency = perGraph(resolveAdjacency);

/** Whether every operator reaches every other through tensors, either way (true for no operators). */
export function isConnected(graph: GraphIR): boolean {
  const count = graph.ops.length;
  if (count === 0) return true;
  const { start, neighbours } = adjacencyOf(graph);
  const reached = new Uint8Array(count);
  const stack = [0];
  reached[0] = 1;
  let seen = 1;
  while (stack.length > 0) {
    const op = stack.pop() as number;
    for (let i = start[op] ?? 0; i < (start[op + 1] ?? 0); i++) {
      const next = neighbours[i] ?? 0;
      if (reached[next] === 1) continue;
      reached[next] = 1;
      seen++;
      stack.push(next);
    }
  }
  return seen === count;
}

function resolveAdjacency(graph: GraphIR): Adjacency {
  const lists: number[][] = graph.ops.map(() => []);
  for (const tensor of Object.values(graph.tensors)) {
    const from = tensor.producer;
    if (from === null) continue;
    for (const to of tensor.consumers) {
      if (to === from) continue;
      lists[from]?.push(to);
      lists[to]?.push(from);
    }
  }
  const start = new Int32Array(lists.length + 1);
  lists.forEach((list, op) => {
    start[op + 1] = (start[op] ?? 0) + list.length;
  });
  const neighbours = new Int32Array(start[lists.length] ?? 0);
  lists.forEach((list, op) => {
    neighbours.set(list, start[op] ?? 0);
  });
  return { start, neighbours };
}
