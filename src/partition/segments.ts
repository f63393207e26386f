import type { GraphIR, OpNode } from '../graph/index.js';
import type { Placement } from './placement-spec.js';
import type { ProcessorId } from './processor.js';

/** A group of operators on one processor that runs as one onnxruntime session. */
export interface Segment {
  /** Position in a topological order of segments. */
  readonly id: number;
  readonly processor: ProcessorId;
  /** Operator indices (GraphIR.ops), in topological order. */
  readonly ops: readonly number[];
  /** Tensors it reads from graph inputs or other segments (weights excluded: they travel inside). */
  readonly inputs: readonly string[];
  /** Tensors it produces that other segments read or that are graph outputs. */
  readonly outputs: readonly string[];
}

interface Building {
  processor: ProcessorId;
  ops: number[];
  successors: Set<number>;
  alive: boolean;
}

/**
 * Cuts a placed graph into segments: maximal groups of connected same-processor operators such
 * that the graph of segments stays acyclic (so segments can run in dependency order, each
 * exactly once). Deterministic for a given graph and placement.
 */
export function segmentGraph(graph: GraphIR, placement: Placement): Segment[] {
  const { ops } = graph;
  const producer = (name: string) => graph.tensors[name]?.producer ?? null;
  const segmentOf = new Int32Array(ops.length).fill(-1);
  const building: Building[] = [];

  const reaches = (from: number, to: number): boolean => {
    const stack = [from];
    const seen = new Set<number>([from]);
    while (stack.length > 0) {
      const current = stack.pop() ?? from;
      for (const next of building[current]?.successors ?? []) {
        if (next === to) return true;
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    return false;
  };

  for (const op of ops) {
    const processor = placement[op.id] ?? 'cpu';
    const predecessors: number[] = [];
    for (const name of reads(op)) {
      const from = producer(name);
      const segment = from === null ? -1 : (segmentOf[from] ?? -1);
      if (segment >= 0 && !predecessors.includes(segment)) predecessors.push(segment);
    }
    // Join a predecessor's segment on the same processor unless that segment already reaches
    // another predecessor: the new edge back into it would close a cycle.
    let chosen = predecessors.find(
      (candidate) =>
        building[candidate]?.processor === processor &&
        predecessors.every((other) => other === candidate || !reaches(candidate, other)),
    );
    if (chosen === undefined) {
      chosen = building.length;
      building.push({ processor, ops: [], successors: new Set(), alive: true });
    }
    building[chosen]?.ops.push(op.index);
    segmentOf[op.index] = chosen;
    for (const other of predecessors) if (other !== chosen) building[other]?.successors.add(chosen);
  }

  mergeAdjacent(building, segmentOf, reaches);
  return finish(graph, building, segmentOf);
}

/**
 * Merges a same-processor segment into its predecessor when no other path joins them (which the
 * greedy pass misses when, e.g., two branches of one processor meet after leaving another).
 */
function mergeAdjacent(
  building: Building[],
  segmentOf: Int32Array,
  reaches: (from: number, to: number) => boolean,
): void {
  for (let merged = true; merged; ) {
    merged = false;
    for (const [a, first] of building.entries()) {
      if (!first.alive) continue;
      for (const b of [...first.successors]) {
        const second = building[b];
        if (!second?.alive || second.processor !== first.processor) continue;
        // Another path a -> x -> ... -> b would become a cycle through the merged segment.
        first.successors.delete(b);
        const otherPath = [...first.successors].some((x) => x === b || reaches(x, b));
        if (otherPath) {
          first.successors.add(b);
          continue;
        }
        for (const op of second.ops) segmentOf[op] = a;
        first.ops.push(...second.ops);
        for (const next of second.successors) if (next !== a) first.successors.add(next);
        second.alive = false;
        second.successors.clear();
        for (const other of building) {
          if (other.successors.delete(b) && other !== first) other.successors.add(a);
        }
        merged = true;
      }
    }
  }
}

function finish(graph: GraphIR, building: Building[], segmentOf: Int32Array): Segment[] {
  const alive = building.flatMap((segment, index) => (segment.alive ? [index] : []));
  // Topological order of segments: Kahn over the successor sets, ties by first operator.
  const indegree = new Map<number, number>(alive.map((index) => [index, 0]));
  for (const index of alive)
    for (const next of building[index]?.successors ?? []) indegree.set(next, (indegree.get(next) ?? 0) + 1);
  const firstOp = (index: number) => Math.min(...(building[index]?.ops ?? [0]));
  const ready = alive.filter((index) => indegree.get(index) === 0);
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((x, y) => firstOp(x) - firstOp(y));
    const next = ready.shift() ?? 0;
    order.push(next);
    for (const successor of building[next]?.successors ?? []) {
      const degree = (indegree.get(successor) ?? 0) - 1;
      indegree.set(successor, degree);
      if (degree === 0) ready.push(successor);
    }
  }
  const renumber = new Map(order.map((old, id) => [old, id]));
  return order.map((old, id) => {
    const segment = building[old] as Building;
    const members = [...segment.ops].sort((x, y) => x - y);
    const inside = new Set(members);
    const inputs: string[] = [];
    const outputs: string[] = [];
    for (const index of members) {
      const op = graph.ops[index] as OpNode;
      for (const name of reads(op)) {
        const tensor = graph.tensors[name];
        if (!tensor || tensor.kind === 'initializer' || tensor.kind === 'constant') continue;
        if ((tensor.producer === null || !inside.has(tensor.producer)) && !inputs.includes(name))
          inputs.push(name);
      }
      for (const name of op.outputs) {
        const tensor = graph.tensors[name];
        if (!tensor) continue;
        const readElsewhere = tensor.consumers.some(
          (consumer) => renumber.get(segmentOf[consumer] ?? -1) !== id,
        );
        if ((readElsewhere || tensor.isGraphOutput) && !outputs.includes(name)) outputs.push(name);
      }
    }
    return { id, processor: segment.processor, ops: members, inputs, outputs };
  });
}

/** Every tensor an operator reads, its subgraphs' outer-scope reads included. */
function reads(op: OpNode): string[] {
  return [...op.inputs, ...op.implicitInputs].filter((name) => name !== '');
}
