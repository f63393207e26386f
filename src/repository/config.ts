import { z } from 'zod';
import { DTYPE_NAMES, type DType, type TensorSpec } from '../tensor/index.js';
import type { Qos } from './qos.js';

const dimsSchema = z.array(z.number().int().min(-1)).readonly();

const tensorSpecSchema = z.object({
  name: z.string(),
  dtype: z.enum(DTYPE_NAMES as [DType, ...DType[]]),
  shape: dimsSchema,
  dimNames: z.array(z.string()).readonly(),
}) satisfies z.ZodType<TensorSpec>;

/** config.json of one model version: the registration, plus what inspection found, so a restart need not re-inspect. */
export const storedConfigSchema = z.object({
  schemaVersion: z.literal(1),
  name: z.string(),
  version: z.number().int().positive(),
  tenant: z.string(),
  qos: z.object({
    latencySloMs: z.number().positive(),
    weight: z.number().positive(),
    requestRatePerS: z.number().nonnegative(),
  }),
  inputShapes: z.record(z.string(), dimsSchema),
  registeredAtUnixMs: z.number().int(),
  model: z.object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    sizeBytes: z.number().int().positive(),
    irVersion: z.number().int(),
    opsets: z.record(z.string(), z.number().int()),
    producer: z.string(),
    nodeCount: z.number().int().nonnegative(),
    inputs: z.array(tensorSpecSchema).readonly(),
    outputs: z.array(tensorSpecSchema).readonly(),
  }),
});

export type StoredConfig = z.infer<typeof storedConfigSchema>;

/** A registered model version, as the rest of hetsched sees it. */
export interface ModelRecord {
  readonly name: string;
  readonly version: number;
  readonly tenant: string;
  readonly qos: Qos;
  /** Inputs with the registered input shapes applied. */
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** Inputs as the model itself declares them. */
  readonly declaredInputs: readonly TensorSpec[];
  readonly inputShapes: ReadonlyMap<string, readonly number[]>;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly irVersion: number;
  readonly opsets: ReadonlyMap<string, number>;
  readonly producer: string;
  readonly nodeCount: number;
  readonly registeredAtUnixMs: number;
  /** Absolute path of the model.onnx file. */
  readonly path: string;
}
