import { Code, HetschedError } from '../common/index.js';

/** A processor operators can be placed on: the CPU pools, or a GPU by device index. */
export type ProcessorId = 'cpu' | `gpu:${number}`;

export const CPU: ProcessorId = 'cpu';

export function isProcessorId(value: string): value is ProcessorId {
  return value === 'cpu' || /^gpu:(0|[1-9]\d{0,2})$/.test(value);
}

export function parseProcessor(value: string): ProcessorId {
  if (!isProcessorId(value)) {
    throw new HetschedError(Code.InvalidArgument, `'${value}' is not a processor; use 'cpu' or 'gpu:N'`);
  }
  return value;
}

export function isGpu(processor: ProcessorId): boolean {
  return processor !== 'cpu';
}
