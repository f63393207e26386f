import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { modelPath } from '../models/index.js';
import { indexModel } from './assemble-layout.js';
import { modelBytes, node, tensorProto, valueInfo } from './builder.js';
import { decodeModel, encodeModel, onnx } from './codec.js';
import { concat, lengthDelimited, tag, varint, WireType } from './wire.js';

const REAL_MODELS = [
  'ppocr-det',
  'ppocr-rec',
  'ppocr-cls',
  'silero-vad-v5',
  'silero-vad-legacy',
  'openwakeword',
] as const;

function invalidArgument(run: () => unknown): HetschedError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HetschedError);
    expect((error as HetschedError).code).toBe(Code.InvalidArgument);
    return error as HetschedError;
  }
  throw new Error('expected an InvalidArgument error');
}

/** A one-node model: y = x + w. */
function addModel(): Uint8Array {
  return modelBytes({
    graphName: 'add',
    nodes: [node('Add', ['x', 'w'], ['y'], [], 'add0')],
    initializers: [tensorProto('w', 'float32', [2], Float32Array.of(1, 2))],
    inputs: [valueInfo('x', 'float32', [2])],
    outputs: [valueInfo('y', 'float32', [2])],
  });
}

describe.each(REAL_MODELS)('indexModel on %s', (id) => {
  const bytes = new Uint8Array(readFileSync(modelPath(id)));

  it('finds what onnx-proto decodes, in the same order', () => {
    const layout = indexModel(bytes);
    const graph = decodeModel(bytes).graph ?? {};
    expect(layout.nodes.length).toBe(graph.node?.length ?? 0);
    expect(layout.nodes.length).toBeGreaterThan(0);
    expect([...layout.initializers.keys()]).toEqual((graph.initializer ?? []).map((t) => t.name));
    expect(layout.sparseInitializers.size).toBe(graph.sparseInitializer?.length ?? 0);
    expect(layout.inputs.length).toBe(graph.input?.length ?? 0);
    expect(layout.outputs.length).toBe(graph.output?.length ?? 0);
    expect(layout.valueInfo.length).toBe(graph.valueInfo?.length ?? 0);
    expect(layout.graphName).toBe(graph.name);

    // Each slice is exactly one message: it decodes to what the whole-model decoder saw.
    const decoded = layout.nodes.map((slice) => onnx.NodeProto.decode(slice));
    expect(decoded.map((n) => [n.opType, n.name, n.output])).toEqual(
      (graph.node ?? []).map((n) => [n.opType, n.name, n.output]),
    );
    expect(layout.inputs.map((slice) => onnx.ValueInfoProto.decode(slice).name)).toEqual(
      (graph.input ?? []).map((v) => v.name),
    );
    expect(layout.outputs.map((slice) => onnx.ValueInfoProto.decode(slice).name)).toEqual(
      (graph.output ?? []).map((v) => v.name),
    );
  });

  it('keeps every model-level field and points into the given bytes without copying', () => {
    const layout = indexModel(bytes);
    const model = decodeModel(bytes);
    // ir_version (1) and each opset_import (8) are among the raw fields.
    const opsets = layout.modelFields.filter((field) => field[0] === 8 * 8 + WireType.LengthDelimited);
    expect(opsets.length).toBe(model.opsetImport.length);
    expect(layout.modelFields.some((field) => field[0] === 1 * 8 + WireType.Varint)).toBe(true);
    for (const slice of [...layout.modelFields, ...layout.nodes, ...layout.initializers.values()]) {
      expect(slice.buffer).toBe(bytes.buffer);
    }
  });
});

describe('indexModel', () => {
  it('names a sparse initializer after its values tensor', () => {
    const model = decodeModel(addModel());
    const values = tensorProto('s', 'float32', [1], Float32Array.of(5));
    const indices = tensorProto('', 'int64', [1], BigInt64Array.of(1n));
    if (!model.graph) throw new Error('no graph');
    // Assign, not push: protobufjs leaves absent repeated fields as a shared frozen empty array.
    model.graph.sparseInitializer = [onnx.SparseTensorProto.create({ values, indices, dims: [2] })];
    const layout = indexModel(encodeModel(model));
    expect([...layout.initializers.keys()]).toEqual(['w']);
    expect([...layout.sparseInitializers.keys()]).toEqual(['s']);
  });

  it('keeps the graph fields it does not know, and the doc_string apart from its absence', () => {
    const bytes = addModel();
    const layout = indexModel(bytes);
    expect(layout.docString).toBeUndefined();
    expect(layout.otherGraphFields).toEqual([]);

    const unknown = lengthDelimited(16, Uint8Array.of(1, 2, 3));
    const graph = concat([
      lengthDelimited(10, new Uint8Array()),
      unknown,
      ...layout.nodes.map((n) => lengthDelimited(1, n)),
    ]);
    const other = indexModel(concat([tag(1, WireType.Varint), varint(8), lengthDelimited(7, graph)]));
    expect(other.docString).toBe('');
    expect(other.otherGraphFields).toEqual([unknown]);
    expect(other.nodes.length).toBe(1);
    expect(other.graphPosition).toBe(1);
  });

  it('merges a graph field given twice, as protobuf does', () => {
    const first = concat([
      lengthDelimited(2, new TextEncoder().encode('a')),
      lengthDelimited(1, Uint8Array.of()),
    ]);
    const second = concat([
      lengthDelimited(2, new TextEncoder().encode('b')),
      lengthDelimited(1, Uint8Array.of()),
    ]);
    const layout = indexModel(concat([lengthDelimited(7, first), lengthDelimited(7, second)]));
    expect(layout.graphName).toBe('b');
    expect(layout.nodes.length).toBe(2);
    expect(layout.graphPosition).toBe(0);
  });

  it('rejects a model without a graph', () => {
    const bytes = onnx.ModelProto.encode({ irVersion: 8, producerName: 'x' }).finish();
    expect(invalidArgument(() => indexModel(bytes)).message).toMatch(/no graph/);
    invalidArgument(() => indexModel(new Uint8Array()));
  });

  it('rejects bytes that are not a protobuf', () => {
    invalidArgument(() => indexModel(new TextEncoder().encode('not an onnx model, just text')));
    // A model cut short: the graph's length runs past the end.
    const bytes = addModel();
    invalidArgument(() => indexModel(bytes.subarray(0, bytes.length - 3)));
  });

  it('rejects a known field with the wrong wire type', () => {
    const bytes = concat([tag(7, WireType.Varint), varint(1)]);
    expect(invalidArgument(() => indexModel(bytes)).message).toMatch(/ModelProto.graph .* wire type 0/);
    const graph = concat([tag(1, WireType.Fixed32), Uint8Array.of(0, 0, 0, 0)]);
    expect(invalidArgument(() => indexModel(lengthDelimited(7, graph))).message).toMatch(/GraphProto.node/);
  });

  it('rejects two initializers of one name', () => {
    const model = decodeModel(addModel());
    if (!model.graph) throw new Error('no graph');
    model.graph.initializer = [
      ...(model.graph.initializer ?? []),
      tensorProto('w', 'float32', [1], Float32Array.of(3)),
    ];
    expect(invalidArgument(() => indexModel(encodeModel(model))).message).toMatch(
      /two initializers named 'w'/,
    );
  });
});
