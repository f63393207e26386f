import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { exampleFeeds, modelPath } from '../models/index.js';
import { synthInputs, synthModel } from '../synth/index.js';
import type { TensorData } from '../tensor/index.js';
import { assembleModel } from './assemble.js';
import { indexModel, type ModelLayout } from './assemble-layout.js';
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

type Outputs = ort.InferenceSession.OnnxValueMapType;

function toOrt(tensor: TensorData): ort.Tensor {
  // TensorData's dtype/data pairs are exactly onnxruntime's; its overloads just cannot see that through a union.
  return new ort.Tensor(tensor.dtype as 'float32', tensor.data as Float32Array, [...tensor.dims]);
}

async function run(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Outputs> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

/** The bytes of an output tensor's elements, for bit-exact comparison (NaN included). */
function outputBytes(outputs: Outputs, name: string): Buffer {
  const tensor = outputs[name];
  if (tensor === undefined) throw new Error(`no output '${name}'`);
  const data = tensor.data as ArrayBufferView;
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function expectSameOutputs(actual: Outputs, expected: Outputs): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const name of Object.keys(expected)) {
    expect(actual[name]?.dims).toEqual(expected[name]?.dims);
    expect(outputBytes(actual, name).equals(outputBytes(expected, name))).toBe(true);
  }
}

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

/** True if `needle` occurs in `haystack` as a contiguous run of bytes. */
function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle) >= 0;
}

const allNodes = (layout: ModelLayout): number[] => layout.nodes.map((_, index) => index);
const nameOnly = (name: string): Uint8Array => onnx.ValueInfoProto.encode({ name }).finish();
const utf8 = new TextEncoder();

describe.each(REAL_MODELS)('assembleModel on %s', (id) => {
  const bytes = new Uint8Array(readFileSync(modelPath(id)));

  it('re-assembled whole, runs in onnxruntime with outputs bit-equal to the original', async () => {
    const layout = indexModel(bytes);
    const whole = assembleModel(layout, {
      graphName: layout.graphName,
      nodeIndices: allNodes(layout),
      initializerNames: [...layout.initializers.keys()],
      inputs: layout.inputs,
      outputs: layout.outputs,
    });
    const feeds = Object.fromEntries(Object.entries(exampleFeeds(id)).map(([name, t]) => [name, toOrt(t)]));
    expectSameOutputs(await run(whole, feeds), await run(bytes, feeds));
  });

  it('re-assembled with every part, reproduces the file byte for byte', () => {
    // The files were written by protobuf serializers, in field-number order, which assembly keeps.
    const layout = indexModel(bytes);
    const whole = assembleModel(layout, {
      graphName: layout.graphName,
      nodeIndices: allNodes(layout),
      initializerNames: [...layout.initializers.keys(), ...layout.sparseInitializers.keys()],
      inputs: layout.inputs,
      outputs: layout.outputs,
      valueInfo: layout.valueInfo,
      docString: layout.docString,
      extraGraphFields: layout.otherGraphFields,
    });
    expect(Buffer.from(whole).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('assembleModel', () => {
  it('keeps a NodeProto field that onnx-proto does not know, which decoding and re-encoding drops', async () => {
    // A Relu node carrying field 60 (varint), as a newer ONNX might write, assembled by hand with
    // an unknown model-level field (99) beside it.
    const relu = concat([
      onnx.NodeProto.encode(node('Relu', ['x'], ['y'], [], 'relu0')).finish(),
      tag(60, WireType.Varint),
      varint(424_242),
    ]);
    const unknownModelField = lengthDelimited(99, utf8.encode('from the future'));
    const graph = concat([
      lengthDelimited(1, relu),
      lengthDelimited(2, utf8.encode('g')),
      lengthDelimited(11, onnx.ValueInfoProto.encode(valueInfo('x', 'float32', [2])).finish()),
      lengthDelimited(12, onnx.ValueInfoProto.encode(valueInfo('y', 'float32', [2])).finish()),
    ]);
    const opset = onnx.OperatorSetIdProto.encode({ domain: '', version: 17 }).finish();
    const original = concat([
      tag(1, WireType.Varint),
      varint(8),
      lengthDelimited(7, graph),
      lengthDelimited(8, opset),
      unknownModelField,
    ]);
    expect(containsBytes(encodeModel(decodeModel(original)), relu)).toBe(false);

    const layout = indexModel(original);
    expect(layout.nodes[0]).toEqual(relu);
    const assembled = assembleModel(layout, {
      graphName: 'part',
      nodeIndices: [0],
      initializerNames: [],
      inputs: layout.inputs,
      outputs: layout.outputs,
    });
    expect(containsBytes(assembled, relu)).toBe(true);
    expect(containsBytes(assembled, unknownModelField)).toBe(true);
    const reread = indexModel(assembled);
    expect(reread.nodes[0]).toEqual(relu);
    expect(reread.graphName).toBe('part');

    const outputs = await run(assembled, { x: new ort.Tensor('float32', Float32Array.of(-1, 2), [2]) });
    expect(Array.from(outputs.y?.data as Float32Array)).toEqual([0, 2]);
  });

  it('extracts a sub-chain that computes what the whole model computes there', async () => {
    const synth = synthModel({ kind: 'chain', operators: 10, seed: 1 });
    const layout = indexModel(synth.bytes);
    const first = 2;
    const last = 5;
    const nodeIndices = allNodes(layout).slice(first, last + 1);
    const nodes = nodeIndices.map((index) => onnx.NodeProto.decode(layout.nodes[index] ?? new Uint8Array()));
    const [entry] = nodes[0]?.input ?? [];
    const [exit] = nodes.at(-1)?.output ?? [];
    if (entry === undefined || exit === undefined) throw new Error('the chain has no links');
    const initializerNames = nodes.flatMap((n) => n.input).filter((name) => layout.initializers.has(name));
    expect(initializerNames.length).toBeGreaterThan(0);

    const part = assembleModel(layout, {
      graphName: 'links-2-5',
      nodeIndices,
      initializerNames,
      inputs: [onnx.ValueInfoProto.encode(valueInfo(entry, 'float32')).finish()],
      outputs: [onnx.ValueInfoProto.encode(valueInfo(exit, 'float32')).finish()],
    });
    // The whole model, with the cut's two ends exposed as extra outputs.
    const probed = assembleModel(layout, {
      graphName: layout.graphName,
      nodeIndices: allNodes(layout),
      initializerNames: [...layout.initializers.keys()],
      inputs: layout.inputs,
      outputs: [...layout.outputs, nameOnly(entry), nameOnly(exit)],
    });

    const feeds: Record<string, ort.Tensor> = {};
    for (const input of synth.inputs) {
      const data = synthInputs(synth, 7).get(input.name) ?? new Float32Array();
      feeds[input.name] = new ort.Tensor('float32', data, input.dims);
    }
    const full = await run(probed, feeds);
    const entryValue = full[entry];
    if (entryValue === undefined) throw new Error(`the probed model did not output '${entry}'`);
    const partial = await run(part, { [entry]: entryValue });
    expect(Object.keys(partial)).toEqual([exit]);
    expect(partial[exit]?.dims).toEqual(full[exit]?.dims);
    expect(outputBytes(partial, exit).equals(outputBytes(full, exit))).toBe(true);
  });

  it('writes sparse initializers when named, after the dense ones', () => {
    const model = decodeModel(
      modelBytes({
        graphName: 'g',
        nodes: [node('Identity', ['s'], ['y'])],
        inputs: [],
        outputs: [valueInfo('y', 'float32', [2])],
      }),
    );
    if (!model.graph) throw new Error('no graph');
    const values = tensorProto('s', 'float32', [1], Float32Array.of(5));
    const indices = tensorProto('', 'int64', [1], BigInt64Array.of(1n));
    model.graph.sparseInitializer = [onnx.SparseTensorProto.create({ values, indices, dims: [2] })];
    model.graph.initializer = [tensorProto('w', 'float32', [1], Float32Array.of(1))];
    const layout = indexModel(encodeModel(model));
    const assembled = assembleModel(layout, {
      graphName: 'g',
      nodeIndices: [0],
      initializerNames: ['s', 'w'],
      inputs: [],
      outputs: layout.outputs,
    });
    const graph = decodeModel(assembled).graph;
    expect(graph?.initializer?.map((t) => t.name)).toEqual(['w']);
    expect(graph?.sparseInitializer?.map((t) => t.values?.name)).toEqual(['s']);
  });

  it('rejects unknown or repeated node indices and initializer names', () => {
    const layout = indexModel(
      modelBytes({
        graphName: 'g',
        nodes: [node('Add', ['x', 'w'], ['y'])],
        initializers: [tensorProto('w', 'float32', [1], Float32Array.of(1))],
        inputs: [valueInfo('x', 'float32', [1])],
        outputs: [valueInfo('y', 'float32', [1])],
      }),
    );
    const parts = { graphName: 'g', nodeIndices: [0], initializerNames: ['w'], inputs: [], outputs: [] };
    expect(assembleModel(layout, parts).length).toBeGreaterThan(0);
    expect(
      invalidArgument(() => assembleModel(layout, { ...parts, initializerNames: ['v'] })).message,
    ).toMatch(/no initializer named 'v'/);
    invalidArgument(() => assembleModel(layout, { ...parts, initializerNames: ['w', 'w'] }));
    expect(invalidArgument(() => assembleModel(layout, { ...parts, nodeIndices: [1] })).message).toMatch(
      /node index 1 is out of range/,
    );
    invalidArgument(() => assembleModel(layout, { ...parts, nodeIndices: [-1] }));
    invalidArgument(() => assembleModel(layout, { ...parts, nodeIndices: [0.5] }));
    invalidArgument(() => assembleModel(layout, { ...parts, nodeIndices: [0, 0] }));
  });
});
