import { Code, HetschedError } from '../common/index.js';
import type { DType } from './dtype.js';
import type { TensorData } from './tensor.js';

/** A declared model input or output: dims are -1 where open. */
export interface TensorSpec {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Symbolic name per dimension where the model has one, '' otherwise. */
  readonly dimNames: readonly string[];
}

/** Checks a tensor against its spec: dtype, rank and every fixed dimension. */
export function checkAgainstSpec(tensor: TensorData, spec: TensorSpec): void {
  if (tensor.dtype !== spec.dtype) {
    throw new HetschedError(
      Code.InvalidArgument,
      `input '${spec.name}' must be ${spec.dtype}, got ${tensor.dtype}`,
    );
  }
  const fits =
    tensor.dims.length === spec.shape.length &&
    spec.shape.every((dim, i) => dim < 0 || dim === tensor.dims[i]);
  if (!fits) {
    throw new HetschedError(
      Code.InvalidArgument,
      `input '${spec.name}' must have shape ${formatShape(spec.shape)}, got [${tensor.dims.join(',')}]`,
    );
  }
}

/** [1,3,?,?] style, for messages. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.map((dim) => (dim < 0 ? '?' : String(dim))).join(',')}]`;
}
