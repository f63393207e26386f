import { performance } from 'node:perf_hooks';
import { Code, HetschedError } from '../common/index.js';
import { checkAgainstSpec, type TensorData } from '../tensor/index.js';
import type { EngineModel, InferOptions } from './engine-types.js';

/** What a request is checked against before it queues, and between its segments once it runs. */

/** @throws HetschedError INVALID_ARGUMENT for a missing, unknown or misshapen input, naming the model's inputs. */
export function checkFeeds(model: EngineModel, feeds: ReadonlyMap<string, TensorData>): void {
  for (const spec of model.inputs) {
    const tensor = feeds.get(spec.name);
    if (!tensor) {
      throw new HetschedError(
        Code.InvalidArgument,
        `model '${model.key}' needs input '${spec.name}' (inputs: ${model.inputs.map((input) => input.name).join(', ')})`,
      );
    }
    checkAgainstSpec(tensor, spec);
  }
  if (feeds.size !== model.inputs.length) {
    const known = new Set(model.inputs.map((input) => input.name));
    const unknown = [...feeds.keys()].filter((name) => !known.has(name));
    throw new HetschedError(
      Code.InvalidArgument,
      `model '${model.key}' has no input named ${unknown.map((name) => `'${name}'`).join(', ')} (inputs: ${[...known].join(', ')})`,
    );
  }
}

/**
 * The outputs a request fetches, in its order (all of the model's when it names none).
 * @throws HetschedError INVALID_ARGUMENT for an unknown output or one named twice.
 */
export function resolveOutputs(model: EngineModel, requested: readonly string[]): string[] {
  const all = model.outputs.map((output) => output.name);
  if (requested.length === 0) return all;
  const known = new Set(all);
  const seen = new Set<string>();
  for (const name of requested) {
    if (!known.has(name)) {
      throw new HetschedError(
        Code.InvalidArgument,
        `model '${model.key}' has no output '${name}' (outputs: ${all.join(', ')})`,
      );
    }
    if (seen.has(name)) throw new HetschedError(Code.InvalidArgument, `output '${name}' is requested twice`);
    seen.add(name);
  }
  return [...requested];
}

/** Why a dispatched request must not start its next segment, if it must not. */
export function stoppedBeforeSegment(options: InferOptions, segmentId: number): HetschedError | undefined {
  if (options.signal?.aborted)
    return new HetschedError(Code.Cancelled, `the request was cancelled before its segment ${segmentId}`);
  if (options.deadlineMs !== undefined && performance.now() >= options.deadlineMs)
    return new HetschedError(
      Code.DeadlineExceeded,
      `the deadline passed before the request's segment ${segmentId}`,
    );
  return undefined;
}
