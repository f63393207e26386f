import { type GraphIR, perGraph } from '../graph/index.js';

/**
 * Each operator's links to the others, by operator index, resolved from tensor names once per
 * graph: the search segments the same graph thousands of times, and name lookups were most of
 * that time. Flat typed arrays, one per field, in compressed rows (operator i's entries are
 * `[start[i], start[i + 1])`): segmenting walks them for every operator it places, and an array
 * of small arrays or records per operator cost it a load per level and allocations per graph.
 */
export interface OpLinks {
  /** Producers of everything an operator reads (subgraphs' outer-scope reads included), in read order; -1 for a graph input. */
  readonly producerStart: Int32Array;
  readonly producer: Int32Array;
  /** The most producers any operator reads from (at least 1): the size of a scratch of them. */
  readonly mostProducers: number;
  /**
   * The activations and request inputs an operator reads (weights and constants travel inside a
   * segment): each its tensor's number and who writes it (-1: the request).
   */
  readonly readStart: Int32Array;
  readonly readTensor: Int32Array;
  readonly readProducer: Int32Array;
  /** The tensors an operator writes: each its number, and whether the request's reply carries it. */
  readonly writeStart: Int32Array;
  readonly writeTensor: Int32Array;
  readonly writeIsGraphOutput: Uint8Array;
  /** Per written tensor (an index into writeTensor), its readers' operator indices. */
  readonly consumerStart: Int32Array;
  readonly consumer: Int32Array;
  /** Each tensor's name by its number (0 .. tensorCount): a typed set can hold a number. */
  readonly tensorName: readonly string[];
  readonly tensorCount: number;
}

/** The links of a graph's operators; computed on first use, then shared. */
export const opLinks: (graph: GraphIR) => OpLinks = perGraph(resolveLinks);

function resolveLinks(graph: GraphIR): OpLinks {
  const tensorName: string[] = [];
  const numbers = new Map<string, number>();
  const numberOf = (name: string): number => {
    let tensor = numbers.get(name);
    if (tensor === undefined) {
      tensor = tensorName.length;
      numbers.set(name, tensor);
      tensorName.push(name);
    }
    return tensor;
  };
  const producerStart = [0];
  const producer: number[] = [];
  const readStart = [0];
  const readTensor: number[] = [];
  const readProducer: number[] = [];
  const writeStart = [0];
  const writeTensor: number[] = [];
  const writeIsGraphOutput: number[] = [];
  const consumerStart = [0];
  const consumer: number[] = [];
  let mostProducers = 1;
  for (const op of graph.ops) {
    const names = [...op.inputs, ...op.implicitInputs].filter((name) => name !== '');
    mostProducers = Math.max(mostProducers, names.length);
    for (const name of names) {
      const tensor = graph.tensors[name];
      producer.push(tensor?.producer ?? -1);
      if (!tensor || tensor.kind === 'initializer' || tensor.kind === 'constant') continue;
      readTensor.push(numberOf(name));
      readProducer.push(tensor.producer ?? -1);
    }
    producerStart.push(producer.length);
    readStart.push(readTensor.length);
    for (const name of op.outputs) {
      const tensor = graph.tensors[name];
      if (!tensor) continue;
      writeTensor.push(numberOf(name));
      writeIsGraphOutput.push(tensor.isGraphOutput ? 1 : 0);
      consumer.push(...tensor.consumers);
      consumerStart.push(consumer.length);
    }
    writeStart.push(writeTensor.length);
  }
  return {
    producerStart: Int32Array.from(producerStart),
    producer: Int32Array.from(producer),
    mostProducers,
    readStart: Int32Array.from(readStart),
    readTensor: Int32Array.from(readTensor),
    readProducer: Int32Array.from(readProducer),
    writeStart: Int32Array.from(writeStart),
    writeTensor: Int32Array.from(writeTensor),
    writeIsGraphOutput: Uint8Array.from(writeIsGraphOutput),
    consumerStart: Int32Array.from(consumerStart),
    consumer: Int32Array.from(consumer),
    tensorName,
    tensorCount: tensorName.length,
  };
}
