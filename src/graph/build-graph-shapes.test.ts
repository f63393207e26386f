import { describe, expect, it } from 'vitest';
import { intAttr, intsAttr, node, onnx, tensorProto, valueInfo } from '../onnx/index.js';
import { buildGraph, byteSize } from './build-graph.js';
import { model, op } from './build-graph.test-fixture.js';
import type { ResolvedTensor } from './graph-types.js';

describe('buildGraph on small models', () => {
  describe('types and shapes', () => {
    const shapeModel = () =>
      model({
        nodes: [
          node('MatMul', ['x', 'w'], ['h'], [], 'mm'),
          node('Relu', ['h'], ['r'], [], 'act'),
          node('Reshape', ['r', 'shape'], ['y'], [], 'reshape'),
        ],
        initializers: [
          tensorProto('w', 'float32', [16, 4], new Float32Array(64)),
          tensorProto('shape', 'int64', [1], new BigInt64Array([-1n])),
        ],
        inputs: [valueInfo('x', 'float32', ['batch', -1])],
        outputs: [valueInfo('y', 'float32')],
        valueInfo: [valueInfo('h', 'float32', ['batch', 4])],
      });

    it('takes declared shapes: symbolic dims by name, unnamed ones as ?, no shape as null', () => {
      const graph = buildGraph(shapeModel());
      expect(graph.tensors.x).toMatchObject({ dtype: 'float32', dims: ['batch', '?'], bytes: null });
      expect(graph.tensors.h).toMatchObject({ dtype: 'float32', dims: ['batch', 4], bytes: null });
      expect(graph.tensors.y).toMatchObject({ dtype: 'float32', dims: null, bytes: null });
      // Declared nowhere.
      expect(graph.tensors.r).toMatchObject({ dtype: 'unknown', dims: null, bytes: null });
      expect(op(graph, 'mm')).toMatchObject({
        flops: null,
        activationBytesIn: null,
        bytesOut: null,
        weightBytes: 256,
      });
      expect(op(graph, 'act').flops).toBeNull();
      expect(op(graph, 'reshape').flops).toBe(0);
    });

    it('lets resolved types and shapes win over declared ones', () => {
      const resolved = new Map<string, ResolvedTensor>([
        ['x', { dtype: 'float32', dims: [3, 16] }],
        ['h', { dtype: 'float32', dims: [3, 4] }],
        ['r', { dtype: 'float32', dims: [3, 4] }],
        ['y', { dtype: 'float16', dims: [12] }],
      ]);
      const graph = buildGraph(shapeModel(), { resolved, shapesFromRun: true });
      expect(graph.shapesFromRun).toBe(true);
      expect(graph.tensors.x).toMatchObject({ dims: [3, 16], bytes: 192 });
      expect(graph.tensors.r).toMatchObject({ dtype: 'float32', dims: [3, 4], bytes: 48 });
      expect(graph.tensors.y).toMatchObject({ dtype: 'float16', dims: [12], bytes: 24 });
      expect(op(graph, 'mm')).toMatchObject({
        flops: 2 * 3 * 4 * 16,
        activationBytesIn: 192,
        bytesOut: 48,
        weightBytes: 256,
      });
      expect(op(graph, 'act')).toMatchObject({ flops: 12, activationBytesIn: 48, bytesOut: 48 });
      // The int64 shape initializer is a weight: 8 bytes, not an activation.
      expect(op(graph, 'reshape')).toMatchObject({ activationBytesIn: 48, bytesOut: 24, weightBytes: 8 });
    });

    it('never lets a resolved entry override a weight', () => {
      const resolved = new Map<string, ResolvedTensor>([['w', { dtype: 'float16', dims: ['n', 4] }]]);
      expect(buildGraph(shapeModel(), { resolved }).tensors.w).toMatchObject({
        dtype: 'float32',
        dims: [16, 4],
        kind: 'initializer',
        bytes: 256,
      });
    });

    it('names element types it has no size for by their ONNX code', () => {
      const graph = buildGraph(
        model({
          nodes: [node('Identity', ['x'], ['y'], [], 'id')],
          inputs: [
            onnx.ValueInfoProto.create({
              name: 'x',
              type: onnx.TypeProto.create({
                tensorType: onnx.TypeProto.Tensor.create({
                  elemType: 8,
                  shape: onnx.TensorShapeProto.create({
                    dim: [onnx.TensorShapeProto.Dimension.create({ dimValue: 2 })],
                  }),
                }),
              }),
            }),
          ],
        }),
      );
      expect(graph.tensors.x).toMatchObject({ dtype: 'onnx:8', dims: [2], bytes: null });
    });
  });

  describe('FLOPs from declared shapes', () => {
    it('Conv with bias: 2*Cout*Hout*Wout*Cin/g*kh*kw + Cout*Hout*Wout', () => {
      const graph = buildGraph(
        model({
          nodes: [
            node(
              'Conv',
              ['x', 'w', 'b'],
              ['y'],
              [intsAttr('kernel_shape', [3, 3]), intAttr('group', 2), intsAttr('pads', [1, 1, 1, 1])],
              'conv',
            ),
          ],
          initializers: [
            tensorProto('w', 'float32', [8, 2, 3, 3], new Float32Array(144)),
            tensorProto('b', 'float32', [8], new Float32Array(8)),
          ],
          inputs: [valueInfo('x', 'float32', [1, 4, 10, 10])],
          outputs: [valueInfo('y', 'float32', [1, 8, 10, 10])],
        }),
      );
      expect(op(graph, 'conv')).toMatchObject({
        flops: 2 * 8 * 10 * 10 * (4 / 2) * 3 * 3 + 8 * 10 * 10,
        attributes: { kernel_shape: [3, 3], group: 2, pads: [1, 1, 1, 1] },
        activationBytesIn: 1600,
        bytesOut: 3200,
        weightBytes: 576 + 32,
      });
    });

    it('MaxPool from its kernel_shape attribute', () => {
      const graph = buildGraph(
        model({
          nodes: [
            node(
              'MaxPool',
              ['x'],
              ['y'],
              [intsAttr('kernel_shape', [2, 2]), intsAttr('strides', [2, 2])],
              'pool',
            ),
          ],
          inputs: [valueInfo('x', 'float32', [1, 3, 8, 8])],
          outputs: [valueInfo('y', 'float32', [1, 3, 4, 4])],
        }),
      );
      expect(op(graph, 'pool').flops).toBe(48 * 4);
    });
  });
});

describe('byteSize', () => {
  it('is elements times the dtype size, null for unknown dims or dtypes', () => {
    expect(byteSize('float32', [2, 3])).toBe(24);
    expect(byteSize('int64', [])).toBe(8);
    expect(byteSize('bool', [5])).toBe(5);
    expect(byteSize('float32', ['n', 3])).toBeNull();
    expect(byteSize('float32', null)).toBeNull();
    expect(byteSize('onnx:8', [2])).toBeNull();
    expect(byteSize('unknown', [2])).toBeNull();
  });
});
