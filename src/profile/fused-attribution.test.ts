import { describe, expect, it } from 'vitest';
import { buildGraph, type GraphIR } from '../graph/index.js';
import { decodeModel, modelBytes, node, tensorAttr, tensorProto, valueInfo } from '../onnx/index.js';
import { attributeFusedKernels } from './fused-attribution.js';
import type { FusedKernel } from './worker-protocol.js';

/**
 * ONNX node order (the `n<i>` names index it; the leading Constant is not an operator, so ONNX
 * indices are one ahead of operator positions):
 *   0 Constant -> k
 *   1 conv:  Conv(x) -> a          5 add:  Add(d, c) -> e
 *   2 bn:    BN(a) -> b1           6 ln:   LayerNormalization(e) -> f
 *   3 relu:  Relu(b1) -> c         7 mul:  Mul(f, k) -> y
 *   4 conv2: Conv(c) -> d          8 shape: Shape(x) -> s   (reads only the input, feeds only an output)
 * c feeds both conv2 and add.
 */
function fixture(): GraphIR {
  const shape = [1, 4, 8, 8];
  const zeros = (n: number) => new Float32Array(n);
  return buildGraph(
    decodeModel(
      modelBytes({
        graphName: 'attribution',
        inputs: [valueInfo('x', 'float32', shape)],
        outputs: [valueInfo('y', 'float32', shape), valueInfo('s', 'int64', [4])],
        nodes: [
          node('Constant', [], ['k'], [tensorAttr('value', tensorProto('k', 'float32', [1], zeros(1)))]),
          node('Conv', ['x', 'w'], ['a'], [], 'conv'),
          node('BatchNormalization', ['a', 'bs', 'bb', 'bm', 'bv'], ['b1'], [], 'bn'),
          node('Relu', ['b1'], ['c'], [], 'relu'),
          node('Conv', ['c', 'w'], ['d'], [], 'conv2'),
          node('Add', ['d', 'c'], ['e'], [], 'add'),
          node('LayerNormalization', ['e', 'g', 'beta'], ['f'], [], 'ln'),
          node('Mul', ['f', 'k'], ['y'], [], 'mul'),
          node('Shape', ['x'], ['s'], [], 'shape'),
        ],
        initializers: [
          tensorProto('w', 'float32', [4, 4, 1, 1], zeros(16)),
          ...['bs', 'bb', 'bm', 'bv'].map((name) => tensorProto(name, 'float32', [4], zeros(4))),
          tensorProto('g', 'float32', [8], zeros(8)),
          tensorProto('beta', 'float32', [8], zeros(8)),
        ],
      }),
    ),
  );
}

const graph = fixture();

const kernel = (name: string, opType: string, durationsUs: number[]): FusedKernel => ({
  name,
  opType,
  durationsUs,
});

describe('the fixture graph', () => {
  it('has operator positions one behind the ONNX indices', () => {
    expect(graph.ops.map(({ id, onnxIndex }) => [id, onnxIndex])).toEqual([
      ['conv', 1],
      ['bn', 2],
      ['relu', 3],
      ['conv2', 4],
      ['add', 5],
      ['ln', 6],
      ['mul', 7],
      ['shape', 8],
    ]);
  });
});

describe('attributeFusedKernels', () => {
  it('maps an optimised x86-style trace back to its operators', () => {
    const { fusedMs, absorbedInto } = attributeFusedKernels(graph, [
      // Conv + BN + Relu fused, named after the first node of the pattern (ONNX index 1).
      kernel('n1', 'FusedConv', [100, 200]),
      // Layout reorder before the NCHWc conv: charged to the kernel after it.
      kernel('ReorderInput', 'ReorderInput', [10, 20]),
      // The re-laid-out conv is named after its output tensor d.
      kernel('d_nchwc', 'Conv', [300, 400]),
      // Any other unowned kernel finishes the previous one's work.
      kernel('ReorderOutput_token_3', 'ReorderOutput', [5, 6]),
      // A fused kernel named after the first node of its pattern, with a suffix.
      kernel('n5/SkipLayerNormFusion/', 'SkipLayerNormalization', [50, 60]),
      // Inside a control-flow node's kernel: already in that kernel's span, never counted again.
      kernel('sub7_0', 'Add', [1000, 1000]),
      kernel('n7', 'Mul', [7, 8]),
      // n70 is not n7: there is no node 70, so it is unowned and goes to the previous kernel.
      kernel('n70', 'Memcpy', [9, 9]),
    ]);
    expect([...fusedMs.keys()].sort()).toEqual(['add', 'conv', 'conv2', 'mul']);
    const ms = (id: string) => fusedMs.get(id)?.map((value) => Number(value.toFixed(9)));
    expect(ms('conv')).toEqual([0.1, 0.2]);
    expect(ms('conv2')).toEqual([(10 + 300 + 5) / 1000, (20 + 400 + 6) / 1000]);
    expect(ms('add')).toEqual([0.05, 0.06]);
    expect(ms('mul')).toEqual([(7 + 9) / 1000, (8 + 9) / 1000]);
    // bn: its only consumer relu has no kernel and relu's output feeds two operators, so the walk
    // falls back to producers: conv. relu: likewise through bn to conv. ln: its only consumer,
    // mul, has a kernel (consumers are tried before producers, so not add). shape: no single
    // consumer with a kernel, no producer: folded, neither timed nor absorbed.
    expect(Object.fromEntries(absorbedInto)).toEqual({ bn: 'conv', relu: 'conv', ln: 'mul' });
  });

  it('follows single consumers through several operators without kernels', () => {
    const { fusedMs, absorbedInto } = attributeFusedKernels(graph, [
      kernel('n1', 'FusedConv', [100]),
      kernel('n7', 'Mul', [40]),
    ]);
    expect([...fusedMs.keys()].sort()).toEqual(['conv', 'mul']);
    // conv2 -> add -> ln -> mul, each the only consumer of the one before.
    expect(Object.fromEntries(absorbedInto)).toEqual({
      bn: 'conv',
      relu: 'conv',
      conv2: 'mul',
      add: 'mul',
      ln: 'mul',
    });
  });

  it('drops unowned kernels with nothing to attach to', () => {
    const { fusedMs } = attributeFusedKernels(graph, [
      // Nothing before it to finish.
      kernel('MemcpyFromHost', 'MemcpyFromHost', [11]),
      kernel('n1', 'Conv', [100]),
      // Nothing after it to prepare.
      kernel('ReorderInput', 'ReorderInput', [13]),
    ]);
    expect([...fusedMs.entries()]).toEqual([['conv', [0.1]]]);
  });

  it('charges an _nchwc kernel of a tensor the graph does not know like any unowned kernel', () => {
    const { fusedMs } = attributeFusedKernels(graph, [
      kernel('n1', 'Conv', [100]),
      kernel('ghost_nchwc', 'Conv', [20]),
      // x is a graph input: no producer to charge.
      kernel('x_nchwc', 'Conv', [30]),
    ]);
    expect(fusedMs.get('conv')?.[0]).toBeCloseTo(0.15, 12);
  });

  it('ignores every subgraph kernel, wherever it sits', () => {
    const withSub = attributeFusedKernels(graph, [
      kernel('sub3_0', 'Relu', [500]),
      kernel('n1', 'Conv', [100]),
      kernel('sub12_34', 'Relu', [500]),
      kernel('n4', 'Conv', [200]),
    ]);
    const without = attributeFusedKernels(graph, [kernel('n1', 'Conv', [100]), kernel('n4', 'Conv', [200])]);
    expect(Object.fromEntries(withSub.fusedMs)).toEqual(Object.fromEntries(without.fusedMs));
    expect(Object.fromEntries(withSub.fusedMs)).toEqual({ conv: [0.1], conv2: [0.2] });
  });

  it('adds several kernels of one operator run by run', () => {
    const { fusedMs } = attributeFusedKernels(graph, [
      kernel('n7', 'Mul', [1, 2, 3]),
      kernel('n7_split', 'Mul', [10, 20, 30]),
    ]);
    expect(fusedMs.get('mul')?.map((value) => Number(value.toFixed(9)))).toEqual([0.011, 0.022, 0.033]);
  });

  it('times nothing and absorbs nothing without kernels', () => {
    const { fusedMs, absorbedInto } = attributeFusedKernels(graph, []);
    expect(fusedMs.size).toBe(0);
    expect(absorbedInto.size).toBe(0);
  });
});
