import { Code, HetschedError } from '../common/index.js';
import { formatShape, type TensorSpec } from '../tensor/index.js';

/**
 * Applies the tenant's input shapes to the model's declared inputs: open dimensions (-1) take the
 * given sizes; fixed ones must agree. The result is what requests are checked against and what
 * the planner plans for.
 */
export function applyInputShapes(
  inputs: readonly TensorSpec[],
  shapes: ReadonlyMap<string, readonly number[]>,
): TensorSpec[] {
  const byName = new Map(inputs.map((input) => [input.name, input]));
  for (const name of shapes.keys()) {
    if (!byName.has(name)) {
      throw new HetschedError(
        Code.InvalidArgument,
        `input_shapes names '${name}', which is not a model input (inputs: ${inputs.map((input) => input.name).join(', ')})`,
      );
    }
  }
  return inputs.map((input) => {
    const shape = shapes.get(input.name);
    if (!shape) return input;
    if (shape.length !== input.shape.length) {
      throw new HetschedError(
        Code.InvalidArgument,
        `input_shapes for '${input.name}' has rank ${shape.length}, but the model declares ${formatShape(input.shape)}`,
      );
    }
    const merged = input.shape.map((declared, i) => {
      const given = shape[i] ?? -1;
      if (given < -1 || !Number.isSafeInteger(given)) {
        throw new HetschedError(
          Code.InvalidArgument,
          `input_shapes for '${input.name}': dimension ${i} is ${given}; use a size >= 0 or -1`,
        );
      }
      if (declared >= 0 && given >= 0 && given !== declared) {
        throw new HetschedError(
          Code.InvalidArgument,
          `input_shapes for '${input.name}': dimension ${i} is fixed at ${declared} by the model, not ${given}`,
        );
      }
      return declared >= 0 ? declared : given;
    });
    return { ...input, shape: merged };
  });
}
