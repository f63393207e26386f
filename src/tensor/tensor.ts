import { Code, HetschedError } from '../common/index.js';
import { DTYPES, type DType, type TypedArray } from './dtype.js';

/**
 * A dense tensor as hetsched passes it between threads: its typed array owns a whole ArrayBuffer
 * (byteOffset 0, exact length) so that the buffer can be transferred rather than copied.
 */
export interface TensorData {
  readonly dtype: DType;
  readonly dims: readonly number[];
  readonly data: TypedArray;
}

/** Number of elements of a shape; 1 for a scalar. */
export function elementCount(dims: readonly number[]): number {
  let count = 1;
  for (const dim of dims) count *= dim;
  return count;
}

export function byteLength(dtype: DType, dims: readonly number[]): number {
  return elementCount(dims) * DTYPES[dtype].bytes;
}

/** A zero-filled tensor of the given type and shape. */
export function zeros(dtype: DType, dims: readonly number[]): TensorData {
  return { dtype, dims: [...dims], data: new DTYPES[dtype].array(elementCount(dims)) };
}

/**
 * Builds a tensor from little-endian bytes, copying them into a fresh, exclusively owned and
 * aligned buffer: protobuf-decoded bytes are views into a shared message buffer (sometimes Node's
 * Buffer pool), which can neither be transferred nor viewed as, say, a Float32Array at an odd offset.
 */
export function tensorFromBytes(
  dtype: DType,
  dims: readonly number[],
  bytes: Uint8Array,
  name: string,
): TensorData {
  const expected = byteLength(dtype, dims);
  if (bytes.byteLength !== expected) {
    throw new HetschedError(
      Code.InvalidArgument,
      `tensor '${name}': ${bytes.byteLength} bytes given, but ${dtype}[${dims.join(',')}] needs ${expected}`,
    );
  }
  const owned = new ArrayBuffer(expected);
  new Uint8Array(owned).set(bytes);
  return { dtype, dims: [...dims], data: new DTYPES[dtype].array(owned) };
}

/** A byte view of a tensor's elements (no copy). */
export function tensorBytes(tensor: TensorData): Uint8Array {
  return new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
}

/** The ArrayBuffers to list for transfer when a message carrying these tensors crosses threads. */
export function transferList(tensors: Iterable<TensorData>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const tensor of tensors) {
    const buffer = tensor.data.buffer;
    // A SharedArrayBuffer is shared, not transferred; a detached one has nothing to give.
    if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) buffers.add(buffer);
  }
  return [...buffers];
}

/** A tensor with its own copy of the values (the engine takes ownership of what it is given: buffers move to workers). */
export function copyTensor(tensor: TensorData): TensorData {
  return { dtype: tensor.dtype, dims: [...tensor.dims], data: tensor.data.slice() };
}

/** Fresh copies of named tensors, ready to hand to the engine. */
export function copyFeeds(
  feeds: Readonly<Record<string, TensorData>> | ReadonlyMap<string, TensorData>,
): Map<string, TensorData> {
  const entries = feeds instanceof Map ? [...feeds] : Object.entries(feeds);
  return new Map(entries.map(([name, tensor]) => [name, copyTensor(tensor)]));
}
