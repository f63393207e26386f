import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type ort from 'onnxruntime-node';
import { exampleFeeds, modelPath } from '../../src/models/index.js';
import { type SynthKind, synthInputs, synthModel } from '../../src/synth/index.js';
import type { TensorData } from '../../src/tensor/index.js';

/** Issue 3's tolerance: max abs diff <= 1e-4, or relative 1e-4 where magnitudes are large. */
export const ATOL = 1e-4;
export const RTOL = 1e-4;

/** The worst elementwise mismatch beyond tolerance (0 when everything is within it), and the max abs diff. */
export function compare(got: TensorData, expected: ort.Tensor): { excess: number; maxAbsDiff: number } {
  expectSameShape(got.dims, expected.dims);
  const a = got.data;
  const b = expected.data as ArrayLike<number | bigint>;
  let excess = 0;
  let maxAbsDiff = 0;
  for (let i = 0; i < b.length; i++) {
    const x = Number(a[i]);
    const y = Number(b[i]);
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    const diff = Math.abs(x - y);
    maxAbsDiff = Math.max(maxAbsDiff, diff);
    const allowed = Math.max(ATOL, RTOL * Math.abs(y));
    if (!(diff <= allowed))
      excess = Math.max(excess, Number.isFinite(diff) ? diff - allowed : Number.POSITIVE_INFINITY);
  }
  return { excess, maxAbsDiff };
}

function expectSameShape(got: readonly number[], expected: readonly number[]): void {
  if (got.join(',') !== expected.join(',')) throw new Error(`shape [${got}] != expected [${expected}]`);
}

/** A model a parity test runs: where it is, what to feed it, how many placements to draw. */
export interface ParityCase {
  readonly name: string;
  readonly path: () => Promise<string>;
  readonly feeds: () => Record<string, TensorData>;
  readonly runs: number;
}

/** A real model from the catalog, fed its example inputs (at `dims` where given). */
export function realModelCase(
  id: string,
  runs: number,
  seed: number,
  dims?: Record<string, number[]>,
): ParityCase {
  return {
    name: id,
    path: async () => modelPath(id),
    feeds: () => exampleFeeds(id, { seed, ...(dims && { dims }) }),
    runs,
  };
}

/** A synthetic model written to a temporary file, fed its seeded inputs. */
export function syntheticCase(kind: SynthKind, operators: number, seed: number, runs: number): ParityCase {
  const model = synthModel({ kind, operators, seed });
  return {
    name: `synthetic ${kind} ${operators}`,
    path: async () => {
      const path = join(tmpdir(), `hetsched-parity-${kind}-${operators}-${seed}-${process.pid}.onnx`);
      await writeFile(path, model.bytes);
      return path;
    },
    feeds: () =>
      Object.fromEntries(
        [...synthInputs(model, seed)].map(([name, data]) => [
          name,
          {
            dtype: 'float32',
            dims: model.inputs.find((input) => input.name === name)?.dims ?? [],
            data: data.slice(),
          },
        ]),
      ),
    runs,
  };
}
