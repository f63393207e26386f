import { Marks } from '../common/index.js';
import type { GraphIR } from '../graph/index.js';
import { opLinks } from './op-links.js';
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
  return segmentPlaced(graph, (index) => placement[graph.ops[index]?.id ?? ''] ?? 'cpu');
}

/**
 * segmentGraph for a placement given by operator index: the search's path, which segments the
 * same graph thousands of times and never builds a placement keyed by name.
 */
export function segmentPlaced(graph: GraphIR, processorAt: (opIndex: number) => ProcessorId): Segment[] {
  const { producers } = opLinks(graph);
  const segmentOf = new Int32Array(graph.ops.length).fill(-1);
  const building: Building[] = [];
  const reaches = reachability(building);

  for (let index = 0; index < graph.ops.length; index++) {
    const processor = processorAt(index);
    const predecessors: number[] = [];
    for (const from of producers[index] ?? []) {
      const segment = from < 0 ? -1 : (segmentOf[from] ?? -1);
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
    building[chosen]?.ops.push(index);
    segmentOf[index] = chosen;
    for (const other of predecessors) if (other !== chosen) building[other]?.successors.add(chosen);
  }

  mergeAdjacent(building, segmentOf, reaches);
  return finish(graph, building, segmentOf);
}

/**
 * Whether one segment reaches another along successor edges: a depth-first walk that marks what
 * it has seen, so that no walk allocates a set.
 */
function reachability(building: readonly Building[]): (from: number, to: number) => boolean {
  const seen = new Marks();
  const stack: number[] = [];
  return (from, to) => {
    seen.clear(building.length);
    stack.length = 0;
    stack.push(from);
    seen.add(from);
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
  const { reads, writes } = opLinks(graph);
  const alive = building.flatMap((segment, index) => (segment.alive ? [index] : []));
  // Topological order of segments: Kahn over the successor sets, ties by first operator.
  const indegree = new Int32Array(building.length);
  const firstOp = new Int32Array(building.length);
  for (const index of alive) {
    const segment = building[index] as Building;
    firstOp[index] = segment.ops.reduce((least, op) => Math.min(least, op), Number.MAX_SAFE_INTEGER);
    for (const next of segment.successors) indegree[next] = (indegree[next] ?? 0) + 1;
  }
  const ready = alive.filter((index) => indegree[index] === 0);
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((x, y) => (firstOp[x] ?? 0) - (firstOp[y] ?? 0));
    const next = ready.shift() ?? 0;
    order.push(next);
    for (const successor of building[next]?.successors ?? []) {
      indegree[successor] = (indegree[successor] ?? 0) - 1;
      if (indegree[successor] === 0) ready.push(successor);
    }
  }
  return order.map((old, id) => {
    const segment = building[old] as Building;
    const members = [...segment.ops].sort((x, y) => x - y);
    const inputs: string[] = [];
    const outputs: string[] = [];
    for (const index of members) {
      for (const { name, producer } of reads[index] ?? []) {
        if ((producer === null || segmentOf[producer] !== old) && !inputs.includes(name)) inputs.push(name);
      }
      for (const { name, consumers, isGraphOutput } of writes[index] ?? []) {
        const readElsewhere = consumers.some((consumer) => segmentOf[consumer] !== old);
        if ((readElsewhere || isGraphOutput) && !outputs.includes(name)) outputs.push(name);
      }
    }
    return { id, processor: segment.processor, ops: members, inputs, outputs };
  });
}
