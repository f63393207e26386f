import { Code, HetschedError } from '../common/index.js';

/**
 * Where operators can be placed: the CPU, a CPU lane (`cpu:N`: the same CPU pools, but a separate
 * group of segments, e.g. to cut a model into CPU-only segments), or a GPU by device index.
 */
export type ProcessorId = 'cpu' | `cpu:${number}` | `gpu:${number}`;

export const CPU: ProcessorId = 'cpu';

const PATTERN = /^(cpu|cpu:(0|[1-9]\d{0,2})|gpu:(0|[1-9]\d{0,2}))$/;

export function isProcessorId(value: string): value is ProcessorId {
  return PATTERN.test(value);
}

export function parseProcessor(value: string): ProcessorId {
  if (!isProcessorId(value)) {
    throw new HetschedError(
      Code.InvalidArgument,
      `'${value}' is not a processor; use 'cpu', 'cpu:N' or 'gpu:N'`,
    );
  }
  return value;
}

export function isGpu(processor: ProcessorId): boolean {
  return processor.startsWith('gpu');
}

/** The worker pool a processor's segments run on: every CPU lane shares the CPU pool. */
export function poolOf(processor: ProcessorId): ProcessorId {
  return isGpu(processor) ? processor : CPU;
}
