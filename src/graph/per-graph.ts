import type { GraphIR } from './graph-types.js';

/**
 * A function of a graph, computed on first use and then shared: a GraphIR is never mutated, and
 * the search asks for the same graph's views thousands of times.
 */
export function perGraph<T>(resolve: (graph: GraphIR) => T): (graph: GraphIR) => T {
  const cache = new WeakMap<GraphIR, T>();
  return (graph) => {
    let value = cache.get(graph);
    if (value === undefined) {
      value = resolve(graph);
      cache.set(graph, value);
    }
    return value;
  };
}
