import { Marks } from '../common/index.js';
import { type GraphIR, perGraph } from '../graph/index.js';
import { type OpLinks, opLinks } from './op-links.js';
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

/** A segment as segmentPlaced grows it; its operators are those whose segmentOf leads to it. */
interface Building {
  readonly processor: ProcessorId;
  /** Its lowest operator index (the topological order's tie-break). */
  firstOp: number;
  /** Segments that read from it, distinct, in the order they were added (an array: no iterators). */
  successors: number[];
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
 * same graph thousands of times and never builds a placement keyed by name. Segments with the
 * same operators share their arrays (see Shape).
 */
export function segmentPlaced(graph: GraphIR, processorAt: (opIndex: number) => ProcessorId): Segment[] {
  const links = opLinks(graph);
  const { producerStart, producer } = links;
  const opCount = graph.ops.length;
  scratch.reserve(opCount, links.tensorCount, links.mostProducers);
  // The segments an operator reads from, distinct, in read order: predecessors[0, count). Indexed
  // loops and one array for all operators, as the search calls this thousands of times a plan.
  const { segmentOf, predecessors } = scratch;
  segmentOf.fill(-1, 0, opCount);
  const building: Building[] = [];
  const reaches = reachability(building);

  for (let index = 0; index < opCount; index++) {
    const processor = processorAt(index);
    let count = 0;
    for (let r = producerStart[index] as number, end = producerStart[index + 1] as number; r < end; r++) {
      const from = producer[r] as number;
      const segment = from < 0 ? -1 : (segmentOf[from] as number);
      if (segment >= 0 && !within(predecessors, count, segment)) predecessors[count++] = segment;
    }
    // Join a predecessor's segment on the same processor unless that segment already reaches
    // another predecessor: the new edge back into it would close a cycle.
    let chosen = -1;
    for (let c = 0; c < count && chosen < 0; c++) {
      const candidate = predecessors[c] as number;
      if ((building[candidate] as Building).processor !== processor) continue;
      let closesCycle = false;
      for (let o = 0; o < count && !closesCycle; o++) {
        const other = predecessors[o] as number;
        closesCycle = other !== candidate && reaches(candidate, other);
      }
      if (!closesCycle) chosen = candidate;
    }
    if (chosen < 0) {
      chosen = building.length;
      building.push({ processor, firstOp: index, successors: [], alive: true });
    }
    segmentOf[index] = chosen;
    for (let o = 0; o < count; o++) {
      const other = predecessors[o] as number;
      if (other !== chosen) addSuccessor(building[other] as Building, chosen);
    }
  }

  const mergedInto = mergeAdjacent(building, reaches);
  // Operators of a merged segment belong to the one it merged into (and on, where that merged too).
  if (mergedInto !== undefined)
    for (let index = 0; index < opCount; index++) {
      let segment = segmentOf[index] as number;
      while ((mergedInto[segment] as number) >= 0) segment = mergedInto[segment] as number;
      segmentOf[index] = segment;
    }
  return finish(graph, links, building, segmentOf);
}

/** Whether `value` is among `values[0, count)`. */
function within(values: Int32Array, count: number, value: number): boolean {
  for (let i = 0; i < count; i++) if (values[i] === value) return true;
  return false;
}

/** Adds a successor unless it is there (a Set's add on an array: the order of first adds). */
function addSuccessor(segment: Building, successor: number): void {
  if (!segment.successors.includes(successor)) segment.successors.push(successor);
}

/** Removes a successor; whether it was there (a Set's delete). */
function removeSuccessor(segment: Building, successor: number): boolean {
  const at = segment.successors.indexOf(successor);
  if (at < 0) return false;
  segment.successors.splice(at, 1);
  return true;
}

/**
 * Whether one segment reaches another along successor edges: a depth-first walk that marks what
 * it has seen, so that no walk allocates a set.
 */
function reachability(building: readonly Building[]): (from: number, to: number) => boolean {
  const { seen, stack } = scratch;
  return (from, to) => {
    seen.clear(building.length);
    stack.length = 0;
    stack.push(from);
    seen.add(from);
    while (stack.length > 0) {
      const successors = (building[stack.pop() as number] as Building).successors;
      for (let s = 0; s < successors.length; s++) {
        const next = successors[s] as number;
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
 * Returns, where any merged, each segment's merged-into segment (-1 for none).
 */
function mergeAdjacent(
  building: Building[],
  reaches: (from: number, to: number) => boolean,
): Int32Array | undefined {
  let mergedInto: Int32Array | undefined;
  for (let merged = true; merged; ) {
    merged = false;
    for (let a = 0; a < building.length; a++) {
      const first = building[a] as Building;
      // Most segments are followed only by the other processor's: nothing to copy or try.
      if (!first.alive || !hasSameProcessorSuccessor(building, first)) continue;
      const candidates = first.successors.slice();
      for (let c = 0; c < candidates.length; c++) {
        const b = candidates[c] as number;
        const second = building[b] as Building;
        if (!second.alive || second.processor !== first.processor) continue;
        // Another path a -> x -> ... -> b would become a cycle through the merged segment.
        removeSuccessor(first, b);
        let otherPath = false;
        for (let s = 0; s < first.successors.length && !otherPath; s++) {
          const x = first.successors[s] as number;
          otherPath = x === b || reaches(x, b);
        }
        if (otherPath) {
          first.successors.push(b);
          continue;
        }
        mergedInto ??= new Int32Array(building.length).fill(-1);
        mergedInto[b] = a;
        first.firstOp = Math.min(first.firstOp, second.firstOp);
        for (let s = 0; s < second.successors.length; s++) {
          const next = second.successors[s] as number;
          if (next !== a) addSuccessor(first, next);
        }
        second.alive = false;
        second.successors.length = 0;
        for (let o = 0; o < building.length; o++) {
          const other = building[o] as Building;
          if (removeSuccessor(other, b) && other !== first) addSuccessor(other, a);
        }
        merged = true;
      }
    }
  }
  return mergedInto;
}

function hasSameProcessorSuccessor(building: readonly Building[], segment: Building): boolean {
  for (let s = 0; s < segment.successors.length; s++) {
    const successor = building[segment.successors[s] as number] as Building;
    if (successor.alive && successor.processor === segment.processor) return true;
  }
  return false;
}

function finish(graph: GraphIR, links: OpLinks, building: Building[], segmentOf: Int32Array): Segment[] {
  // Topological order of segments: Kahn over the successor sets, of the ready segments the one
  // with the lowest first operator next (segments share no operator, so there are no ties).
  const { indegree, sorted, start, cursor } = scratch;
  indegree.fill(0, 0, building.length);
  for (let index = 0; index < building.length; index++) {
    const successors = (building[index] as Building).successors;
    for (let s = 0; s < successors.length; s++) {
      const next = successors[s] as number;
      indegree[next] = (indegree[next] as number) + 1;
    }
  }
  const ready: number[] = [];
  for (let index = 0; index < building.length; index++)
    if ((building[index] as Building).alive && indegree[index] === 0) ready.push(index);
  const order: number[] = [];
  while (ready.length > 0) {
    let lowest = 0;
    for (let r = 1; r < ready.length; r++)
      if (
        (building[ready[r] as number] as Building).firstOp <
        (building[ready[lowest] as number] as Building).firstOp
      )
        lowest = r;
    const next = ready[lowest] as number;
    ready[lowest] = ready[ready.length - 1] as number;
    ready.pop();
    order.push(next);
    const successors = (building[next] as Building).successors;
    for (let s = 0; s < successors.length; s++) {
      const successor = successors[s] as number;
      indegree[successor] = (indegree[successor] as number) - 1;
      if (indegree[successor] === 0) ready.push(successor);
    }
  }
  // Each segment's operators in index order: a counting sort of the operators by segment.
  const opCount = graph.ops.length;
  start.fill(0, 0, building.length + 1);
  for (let index = 0; index < opCount; index++) {
    const after = (segmentOf[index] as number) + 1;
    start[after] = (start[after] as number) + 1;
  }
  for (let k = 0; k < building.length; k++) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
  for (let k = 0; k < building.length; k++) cursor[k] = start[k] as number;
  for (let index = 0; index < opCount; index++) {
    const segment = segmentOf[index] as number;
    const at = cursor[segment] as number;
    sorted[at] = index;
    cursor[segment] = at + 1;
  }

  const shapes = shapesOf(graph);
  const segments: Segment[] = [];
  for (let id = 0; id < order.length; id++) {
    const old = order[id] as number;
    const from = start[old] as number;
    const to = start[old + 1] as number;
    let hash = 0;
    for (let m = from; m < to; m++) hash = (Math.imul(hash ^ (sorted[m] as number), 0x9e3779b1) + 1) | 0;
    let shape = shapes.get(hash);
    if (shape === undefined || !sameOps(shape.ops, sorted, from, to)) {
      // Copied by a loop: Array.from walks a typed array with an iterator, an object per element.
      const ops: number[] = [];
      for (let m = from; m < to; m++) ops.push(sorted[m] as number);
      shape = shapeOf(links, ops, segmentOf, old);
      if (shapes.size >= MAX_SHAPES_PER_GRAPH) shapes.clear();
      shapes.set(hash, shape);
    }
    const { ops, inputs, outputs } = shape;
    segments.push({ id, processor: (building[old] as Building).processor, ops, inputs, outputs });
  }
  return segments;
}

/**
 * A segment's operators and the tensors it reads and writes across its edges: a function of its
 * operators alone, so segments of other placements with the same operators share one (and what
 * is derived from it: simTenant prices a shape once per pool). The search's placements differ
 * from each other in a few segments each: most it segments are shapes seen before.
 */
interface Shape {
  readonly ops: readonly number[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/**
 * Shapes kept per graph, by a hash of their operators (a collision replaces the older). A
 * 5 x 300 search makes about 1,600 distinct shapes a tenant; past this many the table starts over.
 */
const MAX_SHAPES_PER_GRAPH = 8192;
const shapesOf: (graph: GraphIR) => Map<number, Shape> = perGraph(() => new Map());

/** Segment `segment`'s shape: its operators `ops` (in index order) and what crosses its edges. */
function shapeOf(links: OpLinks, ops: readonly number[], segmentOf: Int32Array, segment: number): Shape {
  const { readStart, readTensor, readProducer, writeStart, writeTensor, writeIsGraphOutput } = links;
  const { consumerStart, consumer, tensorName } = links;
  const { listed } = scratch;
  const inputs: string[] = [];
  const outputs: string[] = [];
  // A segment's inputs are written outside it and its outputs inside: one set serves both.
  listed.clear(links.tensorCount);
  for (let m = 0; m < ops.length; m++) {
    const index = ops[m] as number;
    for (let r = readStart[index] as number, end = readStart[index + 1] as number; r < end; r++) {
      const from = readProducer[r] as number;
      const tensor = readTensor[r] as number;
      if ((from < 0 || segmentOf[from] !== segment) && !listed.has(tensor)) {
        listed.add(tensor);
        inputs.push(tensorName[tensor] as string);
      }
    }
    for (let w = writeStart[index] as number, end = writeStart[index + 1] as number; w < end; w++) {
      const tensor = writeTensor[w] as number;
      const start = consumerStart[w] as number;
      const readOutside =
        writeIsGraphOutput[w] === 1 ||
        readElsewhere(consumer, start, consumerStart[w + 1] as number, segmentOf, segment);
      if (readOutside && !listed.has(tensor)) {
        listed.add(tensor);
        outputs.push(tensorName[tensor] as string);
      }
    }
  }
  return {
    ops,
    inputs: inputs.length > 0 ? inputs : NO_TENSORS,
    outputs: outputs.length > 0 ? outputs : NO_TENSORS,
  };
}

/**
 * No tensors, as an array of names V8 holds like every other list of names. An empty literal `[]`
 * holds small integers as far as V8 knows, and code that V8 optimised on lists of names (the plan
 * compiler's pricing) is thrown away when one comes after: a deoptimisation and a recompile of
 * everything it was inlined into.
 */
export const NO_TENSORS: readonly string[] = [''].slice(0, 0);

/** Whether `ops` are `sorted[from, to)`. */
function sameOps(ops: readonly number[], sorted: Int32Array, from: number, to: number): boolean {
  if (ops.length !== to - from) return false;
  for (let i = 0; i < ops.length; i++) if (ops[i] !== sorted[from + i]) return false;
  return true;
}

/** Whether a segment other than `segment` reads the tensor: one of consumer[start, end). */
function readElsewhere(
  consumer: Int32Array,
  start: number,
  end: number,
  segmentOf: Int32Array,
  segment: number,
): boolean {
  for (let c = start; c < end; c++) if (segmentOf[consumer[c] as number] !== segment) return true;
  return false;
}

/**
 * Scratch of segmentPlaced, kept between calls: the search segments thousands of placements, and
 * typed arrays allocated per call (outside V8's young heap) were a tenth of its time. A call never
 * runs inside another (nothing it calls back segments), so one scratch serves all. Sized for a
 * graph's operators at once (a placement has at most as many segments as operators): an array
 * replaced while the search runs would deoptimise all the code V8 compiled with the old one.
 */
class Scratch {
  /** Each operator's segment. */
  segmentOf = new Int32Array(0);
  /** The segments an operator reads from (segmentPlaced). */
  predecessors = new Int32Array(0);
  /** Per segment: in-degree in the topological sort, then the next free place among its operators. */
  indegree = new Int32Array(0);
  cursor = new Int32Array(0);
  /** The operators sorted by segment; segment k's are sorted[start[k], start[k + 1]). */
  sorted = new Int32Array(0);
  start = new Int32Array(0);
  /** The tensors a segment has listed so far (shapeOf). */
  readonly listed = new Marks();
  /** The segments a reachability walk has seen, and its stack. */
  readonly seen = new Marks();
  readonly stack: number[] = [];

  /** Room for a graph of `ops` operators, `tensors` tensors and `reads` reads an operator at most. */
  reserve(ops: number, tensors: number, reads: number): void {
    if (this.segmentOf.length < ops) {
      this.segmentOf = new Int32Array(ops);
      this.indegree = new Int32Array(ops);
      this.cursor = new Int32Array(ops);
      this.sorted = new Int32Array(ops);
      this.start = new Int32Array(ops + 1);
      this.seen.clear(ops);
    }
    if (this.predecessors.length < reads) this.predecessors = new Int32Array(reads);
    this.listed.clear(tensors);
  }
}

const scratch = new Scratch();
