import type { GraphIR, OpNode } from '../graph/index.js';
import { SUBGRAPH_NODE } from './name-nodes.js';
import type { FusedKernel } from './worker-protocol.js';

export interface FusedAttribution {
  /** Operator id -> its kernels' time in the optimised session, per measured run (ms). Absorbed operators have none. */
  readonly fusedMs: ReadonlyMap<string, number[]>;
  /** Operator id -> the operator whose fused kernel also does its work (Conv absorbed into the BatchNormalization after it...). */
  readonly absorbedInto: ReadonlyMap<string, string>;
}

const BY_INDEX = /^n(\d+)(?:$|[^0-9])/;
const NCHWC = /^(.*)_nchwc$/;

/**
 * Maps the kernels of an optimised session (nodes named `n<index>` before optimising, see
 * nameNodesByIndex) back to the operators they do the work of. onnxruntime keeps an unfused node's
 * name, names a fused node after the first node of the pattern (`n12/LayerNormFusion/`), names a
 * re-laid-out convolution after its output tensor (`<tensor>_nchwc`), and adds layout reorders
 * (`ReorderInput`, `ReorderOutput_token_3`) around them, charged here to the convolution they serve.
 * An operator left without a kernel was absorbed into a neighbour's (followed through single
 * consumers, then single producers) or folded away at load time (no cost, no absorber).
 */
export function attributeFusedKernels(graph: GraphIR, all: readonly FusedKernel[]): FusedAttribution {
  // A subgraph node's kernel runs inside its control-flow node's kernel, whose span already holds it.
  const kernels = all.filter((kernel) => !SUBGRAPH_NODE.test(kernel.name));
  const byOnnxIndex = new Map<number, OpNode>(graph.ops.map((op) => [op.onnxIndex, op]));
  const owners: (OpNode | undefined)[] = kernels.map((kernel) => {
    const indexed = BY_INDEX.exec(kernel.name);
    if (indexed) return byOnnxIndex.get(Number(indexed[1]));
    const relaid = NCHWC.exec(kernel.name);
    if (relaid?.[1] !== undefined) {
      const producer = graph.tensors[relaid[1]]?.producer;
      return producer === null || producer === undefined ? undefined : graph.ops[producer];
    }
    return undefined;
  });
  // Unowned kernels (reorders, copies): a ReorderInput prepares the next kernel's input; anything
  // else finishes the previous kernel's work.
  for (let i = 0; i < kernels.length; i++) {
    if (owners[i]) continue;
    const reorderIn = (kernels[i]?.opType ?? '').startsWith('ReorderInput');
    const step = reorderIn ? 1 : -1;
    for (let j = i + step; j >= 0 && j < kernels.length; j += step) {
      if (owners[j]) {
        owners[i] = owners[j];
        break;
      }
    }
  }
  const fusedMs = new Map<string, number[]>();
  kernels.forEach((kernel, i) => {
    const owner = owners[i];
    if (!owner) return;
    const runs = fusedMs.get(owner.id) ?? new Array<number>(kernel.durationsUs.length).fill(0);
    kernel.durationsUs.forEach((us, run) => {
      runs[run] = (runs[run] ?? 0) + us / 1000;
    });
    fusedMs.set(owner.id, runs);
  });
  const absorbedInto = new Map<string, string>();
  for (const op of graph.ops) {
    if (fusedMs.has(op.id)) continue;
    const absorber = follow(graph, op, fusedMs, 'consumer') ?? follow(graph, op, fusedMs, 'producer');
    if (absorber) absorbedInto.set(op.id, absorber.id);
  }
  return { fusedMs, absorbedInto };
}

/** Walks single-consumer (or single-producer) edges from an operator to the first one with a kernel. */
function follow(
  graph: GraphIR,
  start: OpNode,
  fusedMs: ReadonlyMap<string, number[]>,
  direction: 'consumer' | 'producer',
): OpNode | undefined {
  const seen = new Set<number>([start.index]);
  let current = start;
  for (;;) {
    const next = direction === 'consumer' ? onlyConsumer(graph, current) : onlyProducer(graph, current);
    if (!next || seen.has(next.index)) return undefined;
    if (fusedMs.has(next.id)) return next;
    seen.add(next.index);
    current = next;
  }
}

function onlyConsumer(graph: GraphIR, op: OpNode): OpNode | undefined {
  const consumers = new Set(op.outputs.flatMap((name) => graph.tensors[name]?.consumers ?? []));
  if (consumers.size !== 1) return undefined;
  const [index] = consumers;
  return index === undefined ? undefined : graph.ops[index];
}

function onlyProducer(graph: GraphIR, op: OpNode): OpNode | undefined {
  const producers = new Set(
    [...op.inputs, ...op.implicitInputs].flatMap((name) => {
      const producer = graph.tensors[name]?.producer;
      return producer === null || producer === undefined ? [] : [producer];
    }),
  );
  if (producers.size !== 1) return undefined;
  const [index] = producers;
  return index === undefined ? undefined : graph.ops[index];
}
