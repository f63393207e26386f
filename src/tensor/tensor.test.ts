import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import {
  byteLength,
  copyFeeds,
  elementCount,
  type TensorData,
  tensorBytes,
  tensorFromBytes,
  transferList,
  zeros,
} from './tensor.js';

function expectError(work: () => unknown, code: Code, fragment: string): void {
  let caught: unknown;
  try {
    work();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HetschedError);
  expect((caught as HetschedError).code).toBe(code);
  expect((caught as HetschedError).message).toContain(fragment);
}

describe('elementCount / byteLength', () => {
  it('counts elements, 1 for a scalar and 0 for an empty dimension', () => {
    expect(elementCount([])).toBe(1);
    expect(elementCount([2, 3, 4])).toBe(24);
    expect(elementCount([0, 5])).toBe(0);
  });

  it('multiplies by the dtype size', () => {
    expect(byteLength('float64', [2, 3])).toBe(48);
    expect(byteLength('float16', [5])).toBe(10);
    expect(byteLength('bool', [3])).toBe(3);
    expect(byteLength('int64', [])).toBe(8);
  });
});

describe('zeros', () => {
  it('makes a zero-filled tensor of the dtype array and copies the dims', () => {
    const dims = [2, 2];
    const tensor = zeros('int64', dims);
    dims[0] = 9;
    expect(tensor.dims).toEqual([2, 2]);
    expect(tensor.data).toEqual(new BigInt64Array(4));
    expect(tensor.data).toBeInstanceOf(BigInt64Array);
  });
});

describe('tensorFromBytes', () => {
  it('reads little-endian bytes into the dtype array', () => {
    const bytes = new Uint8Array([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
    const tensor = tensorFromBytes('float32', [2], bytes, 'x');
    expect(tensor).toEqual({ dtype: 'float32', dims: [2], data: new Float32Array([1, -2]) });
  });

  it('copies a view at an odd offset into an exclusively owned buffer', () => {
    const backing = new Uint8Array(11);
    backing.set([1, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 1);
    const view = backing.subarray(1, 9);
    const tensor = tensorFromBytes('int64', [1], view, 'x');
    backing[1] = 7;
    expect(tensor.data).toEqual(new BigInt64Array([1n]));
    expect(tensor.data.byteOffset).toBe(0);
    expect(tensor.data.buffer.byteLength).toBe(8);
    expect(tensor.data.buffer).not.toBe(backing.buffer);
  });

  it('accepts an empty tensor with no bytes', () => {
    expect(tensorFromBytes('float32', [0, 3], new Uint8Array(), 'x').data).toEqual(new Float32Array());
  });

  it('rejects a length that does not match the shape, naming the tensor', () => {
    expectError(
      () => tensorFromBytes('float32', [2], new Uint8Array(7), 'pixels'),
      Code.InvalidArgument,
      "tensor 'pixels': 7 bytes given, but float32[2] needs 8",
    );
    expectError(
      () => tensorFromBytes('float16', [2, 3], new Uint8Array(24), 'h'),
      Code.InvalidArgument,
      "tensor 'h': 24 bytes given, but float16[2,3] needs 12",
    );
  });
});

describe('tensorBytes', () => {
  it('is a byte view of the same memory, not a copy', () => {
    const data = new Uint16Array([0x0102, 0x0304]);
    const bytes = tensorBytes({ dtype: 'uint16', dims: [2], data });
    expect([...bytes]).toEqual([0x02, 0x01, 0x04, 0x03]);
    bytes[0] = 0xff;
    expect(data[0]).toBe(0x01ff);
  });

  it('respects the offset of a subarray', () => {
    const data = new Int32Array([1, 2, 3]).subarray(1, 2);
    expect([...tensorBytes({ dtype: 'int32', dims: [1], data })]).toEqual([2, 0, 0, 0]);
  });
});

describe('transferList', () => {
  it('lists each ArrayBuffer once and skips shared or empty buffers', () => {
    const shared = new Float32Array(4);
    const a = { dtype: 'float32', dims: [2], data: shared.subarray(0, 2) } as const;
    const b = { dtype: 'float32', dims: [2], data: shared.subarray(2, 4) } as const;
    const own = zeros('int8', [3]);
    // Typed as TensorData's arrays are (ArrayBuffer-backed); a shared one can still reach transferList at run time.
    const sab: TensorData = {
      dtype: 'uint8',
      dims: [1],
      data: new Uint8Array(new SharedArrayBuffer(1)) as unknown as Uint8Array<ArrayBuffer>,
    };
    const empty = zeros('float32', [0]);
    const list = transferList([a, b, own, sab, empty]);
    expect(list).toHaveLength(2);
    expect(list[0]).toBe(shared.buffer);
    expect(list[1]).toBe(own.data.buffer);
  });
});

describe('copyFeeds', () => {
  it('copies values, dims and names from a record or a map, sharing nothing with the original', () => {
    const original: TensorData = { dtype: 'float32', dims: [2], data: new Float32Array([1, 2]) };
    for (const feeds of [{ x: original }, new Map([['x', original]])]) {
      const copy = copyFeeds(feeds).get('x');
      if (!copy) throw new Error('x missing');
      expect(copy).toEqual(original);
      (copy.data as Float32Array)[0] = 9;
      (copy.dims as number[])[0] = 5;
      expect([...original.data]).toEqual([1, 2]);
      expect(original.dims).toEqual([2]);
    }
  });
});
