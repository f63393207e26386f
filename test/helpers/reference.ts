import ort from 'onnxruntime-node';
import type { TensorData } from '../../src/tensor/index.js';

/** Runs a model whole in onnxruntime's CPU EP in this thread: the reference results tests compare against. */
export async function referenceRun(
  model: string | Uint8Array,
  feeds: Readonly<Record<string, TensorData>>,
): Promise<Record<string, ort.Tensor>> {
  const session =
    typeof model === 'string'
      ? await ort.InferenceSession.create(model)
      : await ort.InferenceSession.create(model);
  try {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(feeds)) {
      // Copy: the reference must not detach or alter the caller's buffers.
      ortFeeds[name] = new ort.Tensor(tensor.dtype, tensor.data.slice(), [...tensor.dims]);
    }
    return await session.run(ortFeeds);
  } finally {
    await session.release();
  }
}

/** Largest absolute elementwise difference between two float arrays of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}
