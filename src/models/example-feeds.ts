import { Code, HetschedError, Rng } from '../common/index.js';
import { elementCount, formatShape, type TensorData } from '../tensor/index.js';
import { type CatalogModel, catalogModel, type ExampleInput } from './catalog.js';

/** Options of {@link exampleFeeds}. */
export interface ExampleFeedOptions {
  /** Same seed, same values; 0 unless given. */
  readonly seed?: number;
  /** Dims per input name replacing the typical ones, e.g. `{ x: [1, 3, 96, 96] }` for a quick ppocr-det run. */
  readonly dims?: Readonly<Record<string, readonly number[]>>;
}

/** Sample rate every Silero model in the catalog is fed, in Hz. */
const SAMPLE_RATE_HZ = 16_000n;

/** The largest float32 below 1: float64 draws just under 1 would round up to 1 and leave [0, 1). */
const FLOAT32_BELOW_ONE = 1 - 2 ** -24;

/**
 * Deterministic example inputs for a catalog model, keyed by input name, ready for a session run.
 * Each input draws from its own stream forked in declaration order, so overriding one input's dims
 * leaves the other inputs' values unchanged.
 */
export function exampleFeeds(
  model: string | CatalogModel,
  options: ExampleFeedOptions = {},
): Record<string, TensorData> {
  const entry = typeof model === 'string' ? catalogModel(model) : model;
  const overrides = options.dims ?? {};
  for (const name of Object.keys(overrides)) {
    if (!entry.inputs.some((input) => input.name === name)) {
      throw new HetschedError(
        Code.InvalidArgument,
        `model '${entry.id}' has no input '${name}'; its inputs: ${entry.inputs.map((input) => input.name).join(', ')}`,
      );
    }
  }
  const rng = new Rng(options.seed ?? 0);
  const feeds: Record<string, TensorData> = {};
  for (const input of entry.inputs) {
    const dims = Object.hasOwn(overrides, input.name) ? overrides[input.name] : undefined;
    feeds[input.name] = exampleTensor(entry.id, input, dims ?? input.dims, rng.fork());
  }
  return feeds;
}

function exampleTensor(modelId: string, input: ExampleInput, dims: readonly number[], rng: Rng): TensorData {
  checkDims(modelId, input, dims);
  const count = elementCount(dims);
  switch (input.fill) {
    case 'image':
      return { dtype: 'float32', dims: [...dims], data: belowOne(count, () => rng.float()) };
    case 'audio':
      return { dtype: 'float32', dims: [...dims], data: belowOne(count, () => rng.range(-1, 1)) };
    case 'embedding':
      return {
        dtype: 'float32',
        dims: [...dims],
        data: Float32Array.from({ length: count }, () => rng.normal()),
      };
    case 'zeros':
      return { dtype: 'float32', dims: [...dims], data: new Float32Array(count) };
    case 'sample-rate':
      return { dtype: 'int64', dims: [...dims], data: new BigInt64Array(count).fill(SAMPLE_RATE_HZ) };
  }
}

/** Same rank as the declared shape, every fixed dimension kept, every dimension a positive integer. */
function checkDims(modelId: string, input: ExampleInput, dims: readonly number[]): void {
  const fits =
    dims.length === input.shape.length &&
    dims.every((dim, i) => {
      const declared = input.shape[i] ?? -1;
      return Number.isSafeInteger(dim) && dim > 0 && (declared < 0 || declared === dim);
    });
  if (!fits) {
    throw new HetschedError(
      Code.InvalidArgument,
      `dims [${dims.join(',')}] do not fit input '${input.name}' of model '${modelId}', declared ${formatShape(input.shape)}`,
    );
  }
}

/** A float32 array of draws below 1, kept below 1 after rounding to float32 as the half-open ranges promise. */
function belowOne(count: number, draw: () => number): Float32Array<ArrayBuffer> {
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = Math.min(Math.fround(draw()), FLOAT32_BELOW_ONE);
  return data;
}
