import type { Rng } from '../common/index.js';
import type { GraphIR, OpNode, TensorInfo } from '../graph/index.js';

/**
 * Small synthetic operator graphs for the search's unit tests: each op writes one tensor, and
 * reads the outputs of the ops it names (-1: the graph input). For tests, and for the graphs of
 * additive instances (additive-graph.ts).
 */
export interface DagOpSpec {
  /** Producer op indices (each < this op's index), -1 for the graph input. */
  readonly inputs: readonly number[];
  readonly flops: number;
  /** Bytes of the op's one output tensor. */
  readonly bytesOut: number;
}

export function syntheticDag(ops: readonly DagOpSpec[], inputBytes = 1024): GraphIR {
  const consumers = new Map<string, number[]>();
  const nameOf = (producer: number): string => (producer < 0 ? 'x' : `t${producer}`);
  ops.forEach((op, index) => {
    for (const producer of new Set(op.inputs)) {
      if (producer >= index) throw new Error(`op ${index} reads op ${producer}: not topological`);
      const list = consumers.get(nameOf(producer)) ?? [];
      list.push(index);
      consumers.set(nameOf(producer), list);
    }
  });
  const tensors: Record<string, TensorInfo> = {
    x: tensor('x', 'input', null, inputBytes, false, consumers.get('x') ?? []),
  };
  const nodes: OpNode[] = ops.map((op, index) => {
    const out = nameOf(index);
    const readers = consumers.get(out) ?? [];
    tensors[out] = tensor(out, 'intermediate', index, op.bytesOut, readers.length === 0, readers);
    return {
      index,
      onnxIndex: index,
      id: `Op#${index}`,
      name: `op${index}`,
      opType: 'Relu',
      domain: '',
      inputs: op.inputs.map(nameOf),
      outputs: [out],
      implicitInputs: [],
      attributes: {},
      subgraphNodeCount: 0,
      flops: op.flops,
      activationBytesIn: null,
      bytesOut: op.bytesOut,
      weightBytes: 0,
    };
  });
  return {
    version: 1,
    graphName: 'synthetic',
    irVersion: 8,
    opsets: { '': 17 },
    inputs: ['x'],
    outputs: nodes
      .filter((node) => (consumers.get(node.outputs[0] ?? '') ?? []).length === 0)
      .map((n) => n.outputs[0] ?? ''),
    ops: nodes,
    constants: [],
    tensors,
    shapesFromRun: true,
  };
}

/** A random DAG: mostly chains, with branches and skip connections (residual-like). */
export function randomDag(rng: Rng, opCount: number): GraphIR {
  const ops: DagOpSpec[] = [];
  for (let i = 0; i < opCount; i++) {
    const inputs = new Set<number>();
    if (i === 0) inputs.add(-1);
    else inputs.add(rng.bool(0.75) ? i - 1 : rng.int(Math.max(0, i - 8), i - 1));
    if (i > 1 && rng.bool(0.15)) inputs.add(rng.int(Math.max(0, i - 12), i - 1));
    ops.push({
      inputs: [...inputs],
      flops: rng.bool(0.3) ? 0 : Math.round(10 ** rng.range(4, 8)),
      bytesOut: Math.round(10 ** rng.range(2, 6)),
    });
  }
  return syntheticDag(ops);
}

function tensor(
  name: string,
  kind: TensorInfo['kind'],
  producer: number | null,
  bytes: number,
  isGraphOutput: boolean,
  consumers: readonly number[],
): TensorInfo {
  return { name, dtype: 'float32', dims: [bytes / 4], kind, isGraphOutput, bytes, producer, consumers };
}
