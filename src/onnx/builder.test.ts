import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  buildModel,
  floatAttr,
  floatsAttr,
  intAttr,
  intsAttr,
  modelBytes,
  node,
  stringAttr,
  tensorAttr,
  tensorProto,
  valueInfo,
} from './builder.js';
import { decodeModel, onnx, toNumber } from './codec.js';
import { inspectModel } from './inspect.js';

async function runOnce(
  bytes: Uint8Array,
  feeds: Record<string, ort.Tensor>,
): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

function outputValues(outputs: ort.InferenceSession.OnnxValueMapType, name: string): number[] {
  const tensor = outputs[name];
  if (tensor === undefined) throw new Error(`no output '${name}'`);
  return Array.from(tensor.data as Float32Array);
}

describe('tensorProto', () => {
  it('stores float32 data as little-endian rawData with its dims and element type', () => {
    const tensor = tensorProto('w', 'float32', [2], Float32Array.of(1.5, -2));
    expect(tensor.name).toBe('w');
    expect(tensor.dataType).toBe(onnx.TensorProto.DataType.FLOAT);
    expect(tensor.dims).toEqual([2]);
    const view = new DataView(new Uint8Array(tensor.rawData ?? []).buffer);
    expect(view.getFloat32(0, true)).toBe(1.5);
    expect(view.getFloat32(4, true)).toBe(-2);
  });

  it('stores int64 data and scalars', () => {
    const shape = tensorProto('shape', 'int64', [3], BigInt64Array.of(1n, -1n, 4n));
    expect(shape.dataType).toBe(onnx.TensorProto.DataType.INT64);
    const view = new DataView(new Uint8Array(shape.rawData ?? []).buffer);
    expect([0, 8, 16].map((offset) => view.getBigInt64(offset, true))).toEqual([1n, -1n, 4n]);
    const scalar = tensorProto('c', 'float32', [], Float32Array.of(3));
    expect(scalar.dims).toEqual([]);
    expect(scalar.rawData?.length).toBe(4);
  });

  it('copies the data, so later writes to the array do not change the tensor', () => {
    const data = Float32Array.of(1, 2);
    const tensor = tensorProto('w', 'float32', [2], data);
    data[0] = 99;
    expect(new DataView(new Uint8Array(tensor.rawData ?? []).buffer).getFloat32(0, true)).toBe(1);
  });

  it('rejects data that does not fit the dims or the dtype', () => {
    expect(() => tensorProto('w', 'float32', [3], Float32Array.of(1, 2))).toThrow(RangeError);
    expect(() => tensorProto('w', 'float32', [2, -1], Float32Array.of(1, 2))).toThrow(RangeError);
    expect(() => tensorProto('w', 'int64', [2], Float32Array.of(1, 2))).toThrow(TypeError);
  });
});

describe('valueInfo', () => {
  it('writes numbers as dimValue, strings as dimParam and negative numbers as unknown dims', () => {
    const info = valueInfo('x', 'float32', ['batch', 3, -1]);
    const tensorType = info.type?.tensorType;
    expect(tensorType?.elemType).toBe(onnx.TensorProto.DataType.FLOAT);
    const dims = tensorType?.shape?.dim ?? [];
    expect(dims.map((dim) => dim.dimParam ?? null)).toEqual(['batch', null, null]);
    expect(
      dims.map((dim) =>
        dim.dimValue === null || dim.dimValue === undefined ? null : toNumber(dim.dimValue),
      ),
    ).toEqual([null, 3, null]);
  });

  it('declares no shape at all when none is given', () => {
    expect(valueInfo('x', 'int32').type?.tensorType?.shape ?? null).toBeNull();
  });
});

describe('attribute helpers', () => {
  it('set the attribute type and value fields', () => {
    const AttributeType = onnx.AttributeProto.AttributeType;
    expect(intAttr('axis', -1)).toMatchObject({ name: 'axis', type: AttributeType.INT, i: -1 });
    expect(intsAttr('perm', [1, 0])).toMatchObject({ type: AttributeType.INTS, ints: [1, 0] });
    expect(floatAttr('alpha', 0.5)).toMatchObject({ type: AttributeType.FLOAT, f: 0.5 });
    expect(floatsAttr('scales', [1, 2])).toMatchObject({ type: AttributeType.FLOATS, floats: [1, 2] });
    expect(new TextDecoder().decode(stringAttr('mode', 'reflect').s ?? undefined)).toBe('reflect');
    const tensor = tensorProto('t', 'float32', [1], Float32Array.of(1));
    expect(tensorAttr('value', tensor)).toMatchObject({ type: AttributeType.TENSOR, t: tensor });
  });
});

describe('buildModel', () => {
  it('fills in opset 17, IR 8 and the producer, and keeps the graph parts', () => {
    const model = buildModel({
      graphName: 'identity',
      nodes: [node('Identity', ['x'], ['y'], [], 'id')],
      inputs: [valueInfo('x', 'float32', [1])],
      outputs: [valueInfo('y', 'float32', [1])],
    });
    expect(toNumber(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((opset) => [opset.domain, toNumber(opset.version)])).toEqual([['', 17]]);
    expect(model.producerName).toBe('hetsched');
    expect(model.graph?.name).toBe('identity');
    expect(model.graph?.node?.[0]?.name).toBe('id');
  });

  it('imports extra operator sets', () => {
    const model = buildModel({
      graphName: 'g',
      nodes: [],
      inputs: [],
      outputs: [],
      opset: 18,
      extraOpsets: [{ domain: 'com.microsoft', version: 1 }],
    });
    expect(model.opsetImport.map((opset) => [opset.domain, toNumber(opset.version)])).toEqual([
      ['', 18],
      ['com.microsoft', 1],
    ]);
  });

  it('builds a MatMul + Add model that onnxruntime computes as expected, for any batch', async () => {
    const bytes = modelBytes({
      graphName: 'linear',
      nodes: [
        node('MatMul', ['x', 'weight'], ['xw'], [], '/linear/MatMul'),
        node('Add', ['xw', 'bias'], ['y'], [], '/linear/Add'),
      ],
      initializers: [
        tensorProto('weight', 'float32', [3, 2], Float32Array.of(1, 2, 3, 4, 5, 6)),
        tensorProto('bias', 'float32', [2], Float32Array.of(0.5, -1)),
      ],
      inputs: [valueInfo('x', 'float32', ['batch', 3])],
      outputs: [valueInfo('y', 'float32', ['batch', 2])],
      valueInfo: [valueInfo('xw', 'float32', ['batch', 2])],
    });
    const info = inspectModel(bytes);
    expect(info.inputs).toEqual([{ name: 'x', dtype: 'float32', shape: [-1, 3], dimNames: ['batch', ''] }]);
    expect(info.nodeCount).toBe(2);

    const x = new ort.Tensor('float32', Float32Array.of(1, 0, -1, 2, 1, 0), [2, 3]);
    const outputs = await runOnce(bytes, { x });
    // [1, 0, -1] @ W = [1 - 5, 2 - 6] = [-4, -4]; [2, 1, 0] @ W = [2 + 3, 4 + 4] = [5, 8]; then + bias.
    expect(outputValues(outputs, 'y')).toEqual([-3.5, -5, 5.5, 7]);
    expect(outputs.y?.dims).toEqual([2, 2]);
  });

  it('writes attributes onnxruntime honours: float, int, ints, string and tensor', async () => {
    const bytes = modelBytes({
      graphName: 'attributes',
      nodes: [
        // Gemm: alpha * a @ b^T + beta * c
        node(
          'Gemm',
          ['a', 'b', 'c'],
          ['gemm'],
          [floatAttr('alpha', 2), floatAttr('beta', 0.5), intAttr('transB', 1)],
          'gemm',
        ),
        node('Transpose', ['gemm'], ['transposed'], [intsAttr('perm', [1, 0])], 'transpose'),
        node('Pad', ['row', 'pads'], ['padded'], [stringAttr('mode', 'reflect')], 'pad'),
        node(
          'Constant',
          [],
          ['constant'],
          [tensorAttr('value', tensorProto('', 'float32', [2], Float32Array.of(7, 8)))],
          'constant',
        ),
      ],
      initializers: [
        tensorProto('b', 'float32', [2, 2], Float32Array.of(1, 2, 3, 4)),
        tensorProto('c', 'float32', [2], Float32Array.of(2, 4)),
        tensorProto('pads', 'int64', [2], BigInt64Array.of(1n, 1n)),
      ],
      inputs: [valueInfo('a', 'float32', [1, 2]), valueInfo('row', 'float32', [3])],
      outputs: [
        valueInfo('transposed', 'float32', [2, 1]),
        valueInfo('padded', 'float32', [5]),
        valueInfo('constant', 'float32', [2]),
      ],
    });
    const outputs = await runOnce(bytes, {
      a: new ort.Tensor('float32', Float32Array.of(1, 1), [1, 2]),
      row: new ort.Tensor('float32', Float32Array.of(1, 2, 3), [3]),
    });
    // a @ b^T = [1 + 2, 3 + 4] = [3, 7]; * 2 + [1, 2] = [7, 16].
    expect(outputValues(outputs, 'transposed')).toEqual([7, 16]);
    expect(outputs.transposed?.dims).toEqual([2, 1]);
    expect(outputValues(outputs, 'padded')).toEqual([2, 1, 2, 3, 2]);
    expect(outputValues(outputs, 'constant')).toEqual([7, 8]);
  });

  it('round-trips through the codec', () => {
    const parts = {
      graphName: 'g',
      nodes: [node('Relu', ['x'], ['y'], [], 'relu')],
      inputs: [valueInfo('x', 'float32', [2])],
      outputs: [valueInfo('y', 'float32', [2])],
      producer: 'test',
      producerVersion: '1.0',
    };
    const decoded = decodeModel(modelBytes(parts));
    expect(decoded.producerName).toBe('test');
    expect(decoded.producerVersion).toBe('1.0');
    expect(decoded.graph?.node?.[0]?.opType).toBe('Relu');
    expect(decoded.graph?.input?.[0]?.name).toBe('x');
  });
});
