import { describe, expect, it } from 'vitest';
import { estimateFlops, type FlopsQuery, product } from './flops.js';
import type { AttributeValue, Dim } from './graph-types.js';

function flops(
  opType: string,
  inputs: (Dim[] | null)[],
  outputs: (Dim[] | null)[],
  attributes: Record<string, AttributeValue> = {},
): number | null {
  const query: FlopsQuery = { opType, attributes, inputs, outputs };
  return estimateFlops(query);
}

describe('product', () => {
  it('multiplies known dims, 1 for a scalar, null for any unknown', () => {
    expect(product([2, 3, 4])).toBe(24);
    expect(product([])).toBe(1);
    expect(product([2, 0])).toBe(0);
    expect(product(null)).toBeNull();
    expect(product([2, 'batch'])).toBeNull();
  });
});

describe('estimateFlops', () => {
  describe('Conv', () => {
    // X [1, 4, 8, 8], W [Cout 6, Cin/g 2, 3, 3] with group 2, Y [1, 6, 6, 6].
    const x = [1, 4, 8, 8];
    const w = [6, 2, 3, 3];
    const y = [1, 6, 6, 6];
    const macs = 2 * (6 * 6 * 6) * ((4 / 2) * 3 * 3); // 2 * Cout*Hout*Wout * Cin/g*kh*kw

    it('counts a multiply-add per weight per output element, plus the bias', () => {
      expect(flops('Conv', [x, w], [y], { group: 2 })).toBe(macs);
      expect(macs).toBe(7776);
      expect(flops('Conv', [x, w, [6]], [y], { group: 2 })).toBe(macs + 6 * 6 * 6);
    });

    it('scales with the batch', () => {
      expect(flops('Conv', [[3, 4, 8, 8], w], [[3, 6, 6, 6]])).toBe(3 * macs);
    });

    it('is null without the weight or output shape', () => {
      expect(flops('Conv', [x, null], [y])).toBeNull();
      expect(flops('Conv', [x, w], [[1, 6, 'h', 'w']])).toBeNull();
      expect(flops('Conv', [x, w], [null])).toBeNull();
    });
  });

  it('ConvTranspose: each input element feeds Cout/g x kernel outputs', () => {
    // X [1, 4, 5, 5], W [Cin 4, Cout/g 3, 2, 2].
    expect(
      flops(
        'ConvTranspose',
        [
          [1, 4, 5, 5],
          [4, 3, 2, 2],
        ],
        [[1, 3, 10, 10]],
      ),
    ).toBe(2 * 100 * 12);
    expect(
      flops(
        'ConvTranspose',
        [
          [1, 4, 'h', 5],
          [4, 3, 2, 2],
        ],
        [null],
      ),
    ).toBeNull();
  });

  describe('MatMul', () => {
    it('is 2*M*N*K', () => {
      expect(
        flops(
          'MatMul',
          [
            [5, 7],
            [7, 3],
          ],
          [[5, 3]],
        ),
      ).toBe(2 * 5 * 3 * 7);
    });

    it('multiplies by the batch dims of a batched product', () => {
      expect(
        flops(
          'MatMul',
          [
            [2, 4, 5, 7],
            [7, 3],
          ],
          [[2, 4, 5, 3]],
        ),
      ).toBe(2 * 8 * 5 * 3 * 7);
    });

    it('is null when K or the output is unknown', () => {
      expect(
        flops(
          'MatMul',
          [
            ['b', 'k'],
            [7, 3],
          ],
          [['b', 3]],
        ),
      ).toBeNull();
      expect(
        flops(
          'MatMul',
          [
            [5, 'k'],
            ['k', 3],
          ],
          [[5, 3]],
        ),
      ).toBeNull();
      expect(flops('MatMul', [null, [7, 3]], [[5, 3]])).toBeNull();
    });
  });

  describe('Gemm', () => {
    it('is 2*M*N*K plus M*N for adding C', () => {
      expect(flops('Gemm', [[4, 8], [8, 16], [16]], [[4, 16]])).toBe(2 * 4 * 16 * 8 + 4 * 16);
    });

    it('takes K from the first dim of a transposed A', () => {
      expect(flops('Gemm', [[8, 4], [16, 8], [16]], [[4, 16]], { transA: 1, transB: 1 })).toBe(
        2 * 4 * 16 * 8 + 4 * 16,
      );
    });

    it('is null when K is unknown', () => {
      expect(
        flops(
          'Gemm',
          [
            ['m', 'k'],
            [8, 16],
          ],
          [[4, 16]],
        ),
      ).toBeNull();
    });
  });

  describe('recurrent', () => {
    // X [seq 5, batch 2, input 3]; hidden 4.
    const x = [5, 2, 3];

    it('LSTM: both matrix products for 4 gates per step, plus the gates elementwise', () => {
      const w = [1, 16, 3];
      const r = [1, 16, 4];
      expect(flops('LSTM', [x, w, r], [null])).toBe(2 * 10 * 16 * (3 + 4) + 8 * 10 * 16);
      expect(flops('LSTM', [x, w, r], [null])).toBe(3520);
    });

    it('GRU, bidirectional: 3 gates per direction', () => {
      const w = [2, 12, 3];
      const r = [2, 12, 4];
      expect(flops('GRU', [x, w, r], [null])).toBe(2 * 10 * 24 * 7 + 8 * 10 * 24);
    });

    it('is null when a size is unknown', () => {
      expect(
        flops(
          'LSTM',
          [
            ['seq', 2, 3],
            [1, 16, 3],
            [1, 16, 4],
          ],
          [null],
        ),
      ).toBeNull();
      expect(flops('RNN', [x, [1, 4, 3], null], [null])).toBeNull();
    });
  });

  describe('pooling and reductions', () => {
    it('MaxPool and AveragePool: the window per output element', () => {
      expect(flops('MaxPool', [[1, 2, 8, 8]], [[1, 2, 4, 4]], { kernel_shape: [3, 3] })).toBe(32 * 9);
      expect(flops('AveragePool', [[1, 2, 8, 8]], [[1, 2, 7, 7]], { kernel_shape: [2, 2] })).toBe(98 * 4);
    });

    it('is null without a kernel shape or output shape', () => {
      expect(flops('MaxPool', [[1, 2, 8, 8]], [[1, 2, 4, 4]])).toBeNull();
      expect(flops('MaxPool', [[1, 2, 8, 8]], [[1, 2, 'h', 4]], { kernel_shape: [2, 2] })).toBeNull();
    });

    it('global pooling and reductions: one operation per input element', () => {
      expect(flops('GlobalAveragePool', [[1, 16, 7, 7]], [[1, 16, 1, 1]])).toBe(16 * 49);
      expect(flops('ReduceMean', [[2, 3, 5]], [[2, 3, 1]])).toBe(30);
      expect(flops('ArgMax', [[4, 10]], [[4]])).toBe(40);
      expect(flops('ReduceSum', [['n', 5]], [[1]])).toBeNull();
    });
  });

  it('Resize: 1 per output element for nearest, 4 otherwise', () => {
    expect(flops('Resize', [[1, 3, 4, 4]], [[1, 3, 8, 8]], { mode: 'nearest' })).toBe(192);
    expect(flops('Resize', [[1, 3, 4, 4]], [[1, 3, 8, 8]], { mode: 'linear' })).toBe(768);
    expect(flops('Resize', [[1, 3, 4, 4]], [[1, 3, 8, 8]])).toBe(768);
  });

  it('elementwise ops cost their fixed amount per output element', () => {
    expect(flops('Add', [[2, 3], [3]], [[2, 3]])).toBe(6);
    expect(flops('Sigmoid', [[2, 3]], [[2, 3]])).toBe(24);
    expect(flops('Gelu', [[10]], [[10]])).toBe(100);
    expect(flops('Dropout', [[10]], [[10]])).toBe(0);
    expect(flops('Relu', [[]], [[]])).toBe(1);
  });

  it('unknown op types count one per output element', () => {
    expect(flops('SomeCustomOp', [[4]], [[2, 5]])).toBe(10);
  });

  it('is null when the output shape is unknown', () => {
    expect(
      flops(
        'Add',
        [
          [2, 3],
          [2, 3],
        ],
        [null],
      ),
    ).toBeNull();
    expect(
      flops(
        'Add',
        [
          [2, 3],
          [2, 3],
        ],
        [],
      ),
    ).toBeNull();
    expect(flops('Softmax', [['b', 10]], [['b', 10]])).toBeNull();
  });

  it('data movement costs nothing, even with unknown shapes', () => {
    for (const opType of ['Reshape', 'Transpose', 'Concat', 'Gather', 'Slice', 'Cast', 'Identity', 'Shape']) {
      expect(flops(opType, [null], [null])).toBe(0);
      expect(flops(opType, [[1000, 1000]], [[1000, 1000]])).toBe(0);
    }
  });

  it('control flow is null: its cost is in its subgraphs', () => {
    for (const opType of ['If', 'Loop', 'Scan']) expect(flops(opType, [[]], [[1000]])).toBeNull();
  });
});
