import { type GraphIR, perGraph } from '../graph/index.js';

/** A tensor an operator reads across a possible segment edge: its name and who writes it (null: the request). */
export interface LinkedRead {
  readonly name: string;
  /** The tensor's number in this graph's OpLinks (0 .. tensorCount): a typed set can hold it. */
  readonly tensor: number;
  readonly producer: number | null;
}

/** A tensor an operator writes: who reads it, and whether the request's reply carries it. */
export interface LinkedWrite {
  readonly name: string;
  /** As LinkedRead's. */
  readonly tensor: number;
  /** Its readers' operator indices (a typed copy: segmenting reads it for every operator it places). */
  readonly consumers: Int32Array;
  readonly isGraphOutput: boolean;
}

/**
 * Each operator's links to the others, by operator index, resolved from tensor names once per graph:
 * the search segments the same graph thousands of times, and name lookups were most of that time.
 */
export interface OpLinks {
  /** Producers of everything an operator reads (subgraphs' outer-scope reads included), in read order; -1 for a graph input. */
  readonly producers: readonly Int32Array[];
  /** The activations and request inputs it reads (weights and constants travel inside a segment). */
  readonly reads: readonly (readonly LinkedRead[])[];
  readonly writes: readonly (readonly LinkedWrite[])[];
  /** How many tensors the reads and writes number. */
  readonly tensorCount: number;
}

/** The links of a graph's operators; computed on first use, then shared. */
export const opLinks: (graph: GraphIR) => OpLinks = perGraph(resolveLinks);

function resolveLinks(graph: GraphIR): OpLinks {
  const producers: Int32Array[] = [];
  const reads: LinkedRead[][] = [];
  const writes: LinkedWrite[][] = [];
  const numbers = new Map<string, number>();
  const numberOf = (name: string): number => {
    let tensor = numbers.get(name);
    if (tensor === undefined) {
      tensor = numbers.size;
      numbers.set(name, tensor);
    }
    return tensor;
  };
  for (const op of graph.ops) {
    const names = [...op.inputs, ...op.implicitInputs].filter((name) => name !== '');
    producers.push(Int32Array.from(names, (name) => graph.tensors[name]?.producer ?? -1));
    reads.push(
      names.flatMap((name) => {
        const tensor = graph.tensors[name];
        if (!tensor || tensor.kind === 'initializer' || tensor.kind === 'constant') return [];
        return [{ name, tensor: numberOf(name), producer: tensor.producer }];
      }),
    );
    writes.push(
      op.outputs.flatMap((name) => {
        const tensor = graph.tensors[name];
        return tensor
          ? [
              {
                name,
                tensor: numberOf(name),
                consumers: Int32Array.from(tensor.consumers),
                isGraphOutput: tensor.isGraphOutput,
              },
            ]
          : [];
      }),
    );
  }
  return { producers, reads, writes, tensorCount: numbers.size };
}
