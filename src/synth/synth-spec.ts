/**
 * The graph shapes the generator draws:
 * - `chain`: one linear chain of MatMul, bias Add, activations, LayerNormalization, Mul by a constant;
 * - `branches`: stages that fan out into 2-4 parallel chains and join them with Add or Concat;
 * - `residual`: stacked blocks `LayerNorm(x + f(x))` with `f` a short chain;
 * - `attention`: transformer-encoder blocks (self-attention and MLP) on `[batch, seq, width]`;
 * - `mixed`: stages of all of the above, drawn by the seed.
 */
export type SynthKind = 'chain' | 'branches' | 'residual' | 'attention' | 'mixed';

/** What to generate. The same spec always gives the same model, byte for byte. */
export interface SynthSpec {
  kind: SynthKind;
  /** Target node count; the generator hits it exactly. At least 1. */
  operators: number;
  /** Hidden size (elements per token). Default 64. */
  width?: number;
  /** Batch dimension of the input. Default 1. */
  batch?: number;
  /** Seeds both the graph's structure and its weights. */
  seed: number;
}

/** One graph input or output of a synthetic model. */
export interface SynthTensorInfo {
  name: string;
  dtype: 'float32';
  dims: number[];
}

/** A generated model: its .onnx bytes and the facts tests and benchmarks need about it. */
export interface SynthModel {
  bytes: Uint8Array;
  nodeCount: number;
  inputs: SynthTensorInfo[];
  outputs: SynthTensorInfo[];
  /** The spec with its defaults filled in. */
  spec: Required<SynthSpec>;
}

/** The kinds, in a fixed order (what `mixed` draws its stages from, plus `mixed`). */
export const SYNTH_KINDS: readonly SynthKind[] = ['chain', 'branches', 'residual', 'attention', 'mixed'];

/** Tokens per sequence in the 3-D models (`attention`, `mixed`). */
export const SYNTH_SEQUENCE_LENGTH = 8;

const MAX_OPERATORS = 100_000;
const MAX_WIDTH = 4096;
const MAX_BATCH = 1024;

/** Fills in the defaults; RangeError for a spec the generator cannot honour. */
export function resolveSpec(spec: SynthSpec): Required<SynthSpec> {
  const resolved = {
    kind: spec.kind,
    operators: spec.operators,
    width: spec.width ?? 64,
    batch: spec.batch ?? 1,
    seed: spec.seed,
  };
  if (!SYNTH_KINDS.includes(resolved.kind))
    throw new RangeError(`unknown synth kind '${String(resolved.kind)}'`);
  checkInteger('operators', resolved.operators, 1, MAX_OPERATORS);
  checkInteger('width', resolved.width, 1, MAX_WIDTH);
  checkInteger('batch', resolved.batch, 1, MAX_BATCH);
  if (!Number.isSafeInteger(resolved.seed))
    throw new RangeError(`seed must be a safe integer, got ${resolved.seed}`);
  return resolved;
}

function checkInteger(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${field} must be an integer in [${min}, ${max}], got ${value}`);
  }
}
