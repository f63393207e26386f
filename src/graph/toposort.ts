import { Code, HetschedError } from '../common/index.js';

/**
 * A topological order of nodes given each node's dependencies (indices of nodes it reads from).
 * Kahn's algorithm with a min-heap on the original index, so a model already in order keeps its
 * order and ties are deterministic. A cycle is an invalid model.
 */
export function topologicalOrder(dependencies: readonly (readonly number[])[]): number[] {
  const count = dependencies.length;
  const indegree = new Array<number>(count).fill(0);
  const dependents: number[][] = Array.from({ length: count }, () => []);
  dependencies.forEach((deps, node) => {
    for (const dep of new Set(deps)) {
      indegree[node] = (indegree[node] ?? 0) + 1;
      dependents[dep]?.push(node);
    }
  });
  const ready = new MinHeap();
  indegree.forEach((degree, node) => {
    if (degree === 0) ready.push(node);
  });
  const order: number[] = [];
  for (let node = ready.pop(); node !== undefined; node = ready.pop()) {
    order.push(node);
    for (const next of dependents[node] ?? []) {
      indegree[next] = (indegree[next] ?? 0) - 1;
      if (indegree[next] === 0) ready.push(next);
    }
  }
  if (order.length !== count) {
    throw new HetschedError(
      Code.InvalidArgument,
      `the model's graph has a cycle through ${count - order.length} nodes`,
    );
  }
  return order;
}

class MinHeap {
  private readonly items: number[] = [];

  push(value: number): void {
    const items = this.items;
    items.push(value);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if ((items[parent] ?? 0) <= value) break;
      items[i] = items[parent] ?? 0;
      items[parent] = value;
      i = parent;
    }
  }

  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && (items[left] ?? 0) < (items[smallest] ?? 0)) smallest = left;
        if (right < items.length && (items[right] ?? 0) < (items[smallest] ?? 0)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest] ?? 0, items[i] ?? 0];
        i = smallest;
      }
    }
    return top;
  }
}
