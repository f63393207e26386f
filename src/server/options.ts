import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { Code, HetschedError } from '../common/index.js';
import { REQUEST_SLOTS_PER_THREAD } from '../cost/index.js';

const MiB = 1024 * 1024;

const optionsSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    /** 0 picks a free port. */
    port: z.number().int().min(0).max(65535).default(50051),
    repository: z.string().min(1).default('model-repository'),
    /** Where profiles are written (and read, with the ones the package ships). */
    profiles: z.string().min(1).default('hetsched-profiles'),
    maxModelBytes: z
      .number()
      .int()
      .positive()
      .default(512 * MiB),
    /** gRPC message limit in both directions; defaults to the model limit plus room for the request's other fields. */
    maxMessageBytes: z.number().int().positive().optional(),
    cpuThreads: z.number().int().min(1).max(256).default(availableParallelism()),
    intraOpThreads: z.number().int().min(1).max(256).default(1),
    maxQueueLength: z.number().int().min(1).default(64),
    /** Requests the dispatcher runs at once per worker thread. */
    requestSlotsPerThread: z.number().int().min(1).max(64).default(REQUEST_SLOTS_PER_THREAD),
    /** Which GPU execution provider to use: the first that works of cuda and webgpu, one of them, or none. */
    gpu: z.enum(['auto', 'webgpu', 'cuda', 'none']).default('auto'),
    /** How long SIGTERM waits for in-flight requests before cutting them off. */
    drainTimeoutMs: z.number().int().positive().default(30_000),
  })
  .strict();

export type ServerOptionsInput = z.input<typeof optionsSchema>;

/** Every server option, validated, with defaults filled in. */
export interface ServerOptions extends Required<Omit<z.output<typeof optionsSchema>, 'maxMessageBytes'>> {
  readonly maxMessageBytes: number;
}

/** Validates options once, where they enter; each problem is named in the message. */
export function resolveServerOptions(input: ServerOptionsInput): ServerOptions {
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`,
    );
    throw new HetschedError(Code.InvalidArgument, `invalid server options: ${problems.join('; ')}`);
  }
  const options = parsed.data;
  return {
    ...options,
    repository: resolve(options.repository),
    profiles: resolve(options.profiles),
    maxMessageBytes: options.maxMessageBytes ?? options.maxModelBytes + 4 * MiB,
  };
}
