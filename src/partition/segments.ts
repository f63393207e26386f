import { Marks } from '../common/index.js';
import type { GraphIR } from '../graph/index.js';
import { type LinkedRead, type LinkedWrite, opLinks } from './op-links.js';
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
  // The segments an operator reads from, distinct, in read order: predecessors[0, count). Indexed
  // loops and one array for all operators, as the search calls this thousands of times a plan.
  const predecessors = new Int32Array(mostReads(producers));

  for (let index = 0; index < graph.ops.length; index++) {
    const processor = processorAt(index);
    const reads = producers[index] as Int32Array;
    let count = 0;
    for (let r = 0; r < reads.length; r++) {
      const from = reads[r] as number;
      const segment = from < 0 ? -1 : (segmentOf[from] as number);
      if (segment >= 0 && !within(predecessors, count, segment)) predecessors[count++] = segment;
    }
    // Join a predecessor's segment on the same processor unless that segment already reaches
    // another predecessor: the new edge back into it would close a cycle.
    let chosen = -1;
    for (let c = 0; c < count && chosen < 0; c++) {
      const candidate = predecessors[c] as number;
      if (building[candidate]?.processor !== processor) continue;
      let closesCycle = false;
      for (let o = 0; o < count && !closesCycle; o++) {
        const other = predecessors[o] as number;
        closesCycle = other !== candidate && reaches(candidate, other);
      }
      if (!closesCycle) chosen = candidate;
    }
    if (chosen < 0) {
      chosen = building.length;
      building.push({ processor, ops: [], successors: new Set(), alive: true });
    }
    building[chosen]?.ops.push(index);
    segmentOf[index] = chosen;
    for (let o = 0; o < count; o++) {
      const other = predecessors[o] as number;
      if (other !== chosen) building[other]?.successors.add(chosen);
    }
  }

  mergeAdjacent(building, segmentOf, reaches);
  return finish(graph, building, segmentOf);
}

/** The most producers any operator reads from (at least 1). */
function mostReads(producers: readonly Int32Array[]): number {
  let most = 1;
  for (const reads of producers) if (reads.length > most) most = reads.length;
  return most;
}

/** Whether `value` is among `values[0, count)`. */
function within(values: Int32Array, count: number, value: number): boolean {
  for (let i = 0; i < count; i++) if (values[i] === value) return true;
  return false;
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
    for (let a = 0; a < building.length; a++) {
      const first = building[a] as Building;
      // Most segments are followed only by the other processor's: nothing to copy or try.
      if (!first.alive || !hasSameProcessorSuccessor(building, first)) continue;
      for (const b of [...first.successors]) {
        const second = building[b];
        if (!second?.alive || second.processor !== first.processor) continue;
        // Another path a -> x -> ... -> b would become a cycle through the merged segment.
        first.successors.delete(b);
        let otherPath = false;
        for (const x of first.successors) {
          if (x === b || reaches(x, b)) {
            otherPath = true;
            break;
          }
        }
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

function hasSameProcessorSuccessor(building: readonly Building[], segment: Building): boolean {
  for (const next of segment.successors) {
    const successor = building[next];
    if (successor?.alive && successor.processor === segment.processor) return true;
  }
  return false;
}

/** The tensors a segment has listed so far (finish): scratch, as finish never runs inside itself. */
const listed = new Marks();

function finish(graph: GraphIR, building: Building[], segmentOf: Int32Array): Segment[] {
  const { reads, writes, tensorCount } = opLinks(graph);
  // Each segment's operators in index order, from one pass over all (a merge appended runs out of order).
  // Pushed, not mapped: V8's tiers build map's arrays of different kinds, which deoptimised this.
  const opsOf: number[][] = [];
  for (let index = 0; index < building.length; index++) opsOf.push([]);
  for (let index = 0; index < segmentOf.length; index++) opsOf[segmentOf[index] as number]?.push(index);
  // Topological order of segments: Kahn over the successor sets, of the ready segments the one
  // with the lowest first operator next (segments share no operator, so there are no ties).
  const indegree = new Int32Array(building.length);
  const firstOp = new Int32Array(building.length);
  for (let index = 0; index < building.length; index++) {
    const segment = building[index] as Building;
    if (!segment.alive) continue;
    firstOp[index] = opsOf[index]?.[0] ?? 0;
    for (const next of segment.successors) indegree[next] = (indegree[next] ?? 0) + 1;
  }
  const ready: number[] = [];
  for (let index = 0; index < building.length; index++)
    if ((building[index] as Building).alive && indegree[index] === 0) ready.push(index);
  const order: number[] = [];
  while (ready.length > 0) {
    let lowest = 0;
    for (let r = 1; r < ready.length; r++)
      if ((firstOp[ready[r] as number] as number) < (firstOp[ready[lowest] as number] as number)) lowest = r;
    const next = ready[lowest] as number;
    ready[lowest] = ready[ready.length - 1] as number;
    ready.pop();
    order.push(next);
    for (const successor of (building[next] as Building).successors) {
      indegree[successor] = (indegree[successor] ?? 0) - 1;
      if (indegree[successor] === 0) ready.push(successor);
    }
  }
  const segments: Segment[] = [];
  for (let id = 0; id < order.length; id++) {
    const old = order[id] as number;
    const members = opsOf[old] as number[];
    const inputs: string[] = [];
    const outputs: string[] = [];
    // A segment's inputs are written outside it and its outputs inside: one set serves both.
    listed.clear(tensorCount);
    for (let m = 0; m < members.length; m++) {
      const index = members[m] as number;
      const read = reads[index] as readonly LinkedRead[];
      for (let r = 0; r < read.length; r++) {
        const link = read[r] as LinkedRead;
        if ((link.producer === null || segmentOf[link.producer] !== old) && !listed.has(link.tensor)) {
          listed.add(link.tensor);
          inputs.push(link.name);
        }
      }
      const written = writes[index] as readonly LinkedWrite[];
      for (let w = 0; w < written.length; w++) {
        const link = written[w] as LinkedWrite;
        if (
          (link.isGraphOutput || readElsewhere(link.consumers, segmentOf, old)) &&
          !listed.has(link.tensor)
        ) {
          listed.add(link.tensor);
          outputs.push(link.name);
        }
      }
    }
    segments.push({ id, processor: (building[old] as Building).processor, ops: members, inputs, outputs });
  }
  return segments;
}

/** Whether a segment other than `segment` reads the tensor. */
function readElsewhere(consumers: Int32Array, segmentOf: Int32Array, segment: number): boolean {
  for (let c = 0; c < consumers.length; c++) if (segmentOf[consumers[c] as number] !== segment) return true;
  return false;
}
