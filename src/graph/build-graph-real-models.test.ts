import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelPath } from '../models/index.js';
import { decodeModel } from '../onnx/index.js';
import { buildGraph } from './build-graph.js';
import { checkLinks, op } from './build-graph.test-fixture.js';
import type { ResolvedTensor } from './graph-types.js';

describe('buildGraph on real models', () => {
  const load = (id: string) => decodeModel(readFileSync(modelPath(id)));

  it('ppocr-cls: 221 ops, its 250 Constant nodes as weights, in the order of the file', () => {
    const onnxModel = load('ppocr-cls');
    const graph = buildGraph(onnxModel);
    const nodes = onnxModel.graph?.node ?? [];
    expect(nodes).toHaveLength(471);
    expect(graph.ops).toHaveLength(221);
    expect(graph.constants).toHaveLength(250);
    expect(graph.inputs).toEqual(['x']);
    expect(graph.outputs).toEqual(['softmax_0.tmp_0']);
    expect(graph.constants.every(({ onnxIndex }) => nodes[onnxIndex]?.opType === 'Constant')).toBe(true);
    expect(graph.constants.every(({ output }) => graph.tensors[output]?.kind === 'constant')).toBe(true);
    expect(graph.ops.every(({ opType }) => opType !== 'Constant')).toBe(true);
    // Already in order: topological sorting leaves it so.
    const indices = graph.ops.map(({ onnxIndex }) => onnxIndex);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
    expect(graph.ops.filter(({ opType }) => opType === 'Conv')).toHaveLength(53);
    expect(graph.tensors.x?.dims).toEqual([
      'p2o.DynamicDimension.0',
      3,
      'p2o.DynamicDimension.1',
      'p2o.DynamicDimension.2',
    ]);
    const first = graph.ops[0];
    expect(first).toMatchObject({
      id: 'p2o.Conv.0',
      opType: 'Conv',
      inputs: ['x', 'conv2d_0.w_0'],
      flops: null,
    });
    // 8 x 3 x 3 x 3 float32 weights.
    expect(first?.weightBytes).toBe(864);
    checkLinks(graph);
  });

  it('silero-vad-legacy: one If reading 71 outer tensors implicitly', () => {
    const graph = buildGraph(load('silero-vad-legacy'));
    expect(graph.inputs).toEqual(['input', 'sr', 'h', 'c']);
    expect(graph.outputs).toEqual(['output', 'hn', 'cn']);
    expect(graph.ops.map(({ id, opType }) => [id, opType])).toEqual([
      ['Equal_23', 'Equal'],
      ['If_25', 'If'],
    ]);
    const ifOp = graph.ops[1];
    expect(ifOp?.implicitInputs).toHaveLength(71);
    expect(ifOp?.flops).toBeNull();
    expect(ifOp?.subgraphNodeCount).toBe(248);
    expect(ifOp?.outputs).toEqual(['output', 'hn', 'cn']);
    // Its weights travel with it: every initializer but the sample rate the Equal compares with.
    const initializers = Object.values(graph.tensors).filter(({ kind }) => kind === 'initializer');
    expect(initializers).toHaveLength(69);
    const ifWeightBytes = initializers
      .filter(({ name }) => name !== 'onnx::Equal_124')
      .reduce((total, { bytes }) => total + (bytes ?? Number.NaN), 0);
    expect(ifOp?.weightBytes).toBe(ifWeightBytes);
    for (const name of ['input', 'h', 'c']) expect(graph.tensors[name]?.consumers).toEqual([1]);
    expect(graph.tensors.sr).toMatchObject({ dtype: 'int64', dims: [], bytes: 8, consumers: [0] });
    checkLinks(graph);
  });

  it('openwakeword: Gemm FLOPs once the shapes are resolved', () => {
    const onnxModel = load('openwakeword');
    const declared = buildGraph(onnxModel);
    expect(declared.ops).toHaveLength(25);
    expect(declared.constants).toHaveLength(4);
    expect(declared.constants.every(({ bytes }) => bytes === 4)).toBe(true);
    expect(declared.tensors['onnx::Flatten_0']).toMatchObject({ dims: [1, 25, 96], bytes: 9600 });
    const gemm = op(declared, '/layer1/Gemm');
    expect(gemm.flops).toBeNull();
    expect(gemm.attributes).toEqual({ alpha: 1, beta: 1, transB: 1 });
    const [a, b, bias] = gemm.inputs;
    const weight = declared.tensors[b ?? '']?.dims;
    const hidden = weight?.[0];
    expect(weight?.[1]).toBe(25 * 96);
    if (typeof hidden !== 'number' || a === undefined || bias === undefined)
      throw new Error('no Gemm weight');

    const resolved = new Map<string, ResolvedTensor>([
      [a, { dtype: 'float32', dims: [1, 2400] }],
      [gemm.outputs[0] ?? '', { dtype: 'float32', dims: [1, hidden] }],
    ]);
    const graph = buildGraph(onnxModel, { resolved, shapesFromRun: true });
    expect(op(graph, '/layer1/Gemm')).toMatchObject({
      flops: 2 * hidden * 2400 + hidden,
      activationBytesIn: 9600,
      bytesOut: 4 * hidden,
      weightBytes: 4 * hidden * 2400 + (graph.tensors[bias]?.bytes ?? Number.NaN),
    });
    expect(op(graph, '/flatten/Flatten').flops).toBe(0);
    checkLinks(graph);
  });
});
