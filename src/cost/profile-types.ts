import { z } from 'zod';

/**
 * What hetsched knows of a machine and of a model on it: the data the cost model predicts from.
 * Profiles are JSON files (profiles/), versioned and validated on load. A profile is `measured`
 * (the profiler ran on that hardware) or `analytic` (a roofline from spec sheets, for hardware
 * that is not here); a measured profile supersedes an analytic one for the same hardware.
 */

export const PROFILE_VERSION = 1;

const sourceSchema = z.enum(['measured', 'analytic']);
export type ProfileSource = z.infer<typeof sourceSchema>;

/** Identifies hardware; profiles are reused only where it matches. */
export const fingerprintSchema = z.object({
  cpuModel: z.string(),
  cpuCores: z.number().int().positive(),
  arch: z.string(),
  os: z.string(),
  onnxruntime: z.string(),
  gpu: z
    .object({
      provider: z.enum(['webgpu', 'cuda']),
      adapter: z.string(),
      /** A CPU implementation of the GPU API (SwiftShader, lavapipe): its timings are not a GPU's. */
      software: z.boolean(),
    })
    .nullable(),
});
export type HardwareFingerprint = z.infer<typeof fingerprintSchema>;

/** t = fixedMs + MiB * msPerMiB: a transfer's latency plus its size over the bandwidth. */
export const linearCostSchema = z.object({
  fixedMs: z.number().nonnegative(),
  msPerMiB: z.number().nonnegative(),
});
export type LinearCost = z.infer<typeof linearCostSchema>;

/** Spec-sheet peaks of a GPU, and how much of them an execution provider reaches (assumptions, stated). */
export const rooflineSchema = z.object({
  peakTflopsFp32: z.number().positive(),
  peakTflopsFp16: z.number().positive(),
  memoryGBps: z.number().positive(),
  /** Host link, one direction. */
  hostLinkGBps: z.number().positive(),
  kernelLaunchUs: z.number().nonnegative(),
  /** Fraction of peak compute reached by compute-bound ops (Conv, MatMul, Gemm). */
  computeEfficiency: z.number().positive().max(1),
  /** Fraction of peak memory bandwidth reached by memory-bound ops. */
  memoryEfficiency: z.number().positive().max(1),
  sources: z.array(z.string()),
});
export type Roofline = z.infer<typeof rooflineSchema>;

/**
 * The CPU workers' wait on the main thread per segment run, measured at a few run times (a short and
 * a long probe): its fixed part and its cost per MiB of tensors handed in and out, each interpolated
 * in the run's time between the points and held beyond them. A run of its own time matters: after
 * a long one the main thread has slept, and comes slower.
 */
export const workerIdleSchema = z.object({
  points: z
    .array(
      z.object({
        runMs: z.number().nonnegative(),
        fixedMs: z.number().nonnegative(),
        msPerMiB: z.number().nonnegative(),
      }),
    )
    .default([]),
});
export type WorkerIdle = z.infer<typeof workerIdleSchema>;

export const machineProfileSchema = z.object({
  kind: z.literal('hetsched.machine-profile'),
  version: z.literal(PROFILE_VERSION),
  source: sourceSchema,
  name: z.string(),
  fingerprint: fingerprintSchema,
  cpu: z.object({
    /** Worker threads the measurements assume. */
    threads: z.number().int().positive(),
    /** A session run's fixed cost inside a worker (binding, scheduling), beyond its kernels. */
    segmentLaunchMs: z.number().nonnegative(),
    /** Posting a segment to a worker and its reply back, beyond the tensors it carries. */
    dispatchMs: z.number().nonnegative().default(0.05),
    /** Moving a tensor to or from a worker thread. */
    handoff: linearCostSchema,
    /**
     * The engine's own path per request beyond the pool's round trips — checking the request,
     * queueing, the dataflow, returning the outputs — by MiB of request and reply tensors.
     */
    request: linearCostSchema.default({ fixedMs: 0, msPerMiB: 0 }),
    /**
     * Worker time each segment run costs beyond its session while the CPU pool is saturated: a
     * worker waits for the main thread to hand it its next task, and the main thread is slow to come
     * while busy (other requests, collecting their tensors' garbage, a core of its own to find) or
     * asleep. Measured under load (measureWorkerIdle); none where not measured.
     */
    workerIdle: workerIdleSchema.default({ points: [] }),
    /** CPU slowdown by how many other cores are busy: factor[k], per operator class and 'default'. */
    interference: z.record(z.string(), z.array(z.number().positive())),
    /** Sustained GFLOP/s of one core on compute-bound ops (analytic fallback for unprofiled ops). */
    gflopsPerCore: z.number().positive(),
    /** Sustained memory bandwidth of the whole CPU (analytic fallback for memory-bound ops). */
    memoryGBps: z.number().positive(),
    cores: z.number().int().positive(),
  }),
  gpu: z
    .object({
      segmentLaunchMs: z.number().nonnegative(),
      dispatchMs: z.number().nonnegative().default(0.05),
      hostToDevice: linearCostSchema,
      deviceToHost: linearCostSchema,
      /** Spec-sheet roofline: how analytic profiles price each operator. */
      roofline: rooflineSchema.nullable(),
    })
    .nullable(),
  notes: z.array(z.string()).default([]),
});
export type MachineProfile = z.infer<typeof machineProfileSchema>;

/** One operator's (or a whole run's) measured time: median and spread over repeated runs. */
export const timingSchema = z.object({
  medianMs: z.number().nonnegative(),
  p10Ms: z.number().nonnegative(),
  p90Ms: z.number().nonnegative(),
  runs: z.number().int().nonnegative(),
});
export type Timing = z.infer<typeof timingSchema>;

/** Per-operator costs of one model on one processor configuration. */
export const processorCostsSchema = z.object({
  /** Operator id -> its kernel time, unfused (onnxruntime's optimisations off: one kernel per operator). */
  ops: z.record(z.string(), timingSchema),
  /**
   * Operator id -> the time of its kernels as onnxruntime optimises the whole model (fused,
   * re-laid-out); an absorbed operator's work is in its absorber's time.
   */
  fused: z.record(z.string(), timingSchema).default({}),
  /** Operator id -> the operator whose fused kernel does its work. */
  absorbedInto: z.record(z.string(), z.string()).default({}),
  /** The whole model as one session, optimisations on. */
  whole: timingSchema,
  /** Sum of the operators' unfused medians. */
  sumOfOpsMs: z.number().nonnegative(),
  /**
   * Sum of the optimised session's kernels as profiled, before taking profiling's own cost out
   * (against `whole`: what profiling adds). Absent from analytic and older profiles.
   */
  profiledKernelsMs: z.number().nonnegative().optional(),
  /**
   * A segment costs launch + intactRatio x the fused time of every fused group it holds whole +
   * splitRatio x the unfused time of the members of groups it cuts + perOpMs x its operators +
   * boundaryMsPerMiB x the MiB of its boundary tensors + outputMsPerMiB x the MiB of its outputs
   * + convEdgeMsPerMiB x the MiB of those a convolution touches + perTensorMs x the number of its
   * boundary tensors (each bound, allocated and handed over). The coefficients and the launch
   * cost are fitted on measured segments (see fittedSegments).
   */
  splitRatio: z.number().positive(),
  /**
   * Fused groups run alone as a segment against their share of the whole run: a segment starts
   * with cold caches and fresh buffers, where inside the whole model they were warm.
   */
  intactRatio: z.number().positive().default(1),
  perOpMs: z.number().nonnegative().default(0),
  boundaryMsPerMiB: z.number().nonnegative().default(0),
  /** Extra cost per MiB of a segment's outputs: a session allocates them afresh at its edges. */
  outputMsPerMiB: z.number().nonnegative().default(0),
  /**
   * Extra cost per MiB of boundary tensors a convolution in the segment reads or writes: on x86
   * onnxruntime re-lays-out convolutions (NCHWc) and must convert at a session's edges what inside
   * the whole model stays converted between consecutive convolutions.
   */
  convEdgeMsPerMiB: z.number().nonnegative().default(0),
  /** Cost per boundary tensor (input or output) of a segment, whatever its size. Absent from older profiles: 0. */
  perTensorMs: z.number().nonnegative().default(0),
  /** A session run's fixed cost for this model on this pool, fitted; the machine's launch cost when absent. */
  launchMs: z.number().nonnegative().optional(),
  /** Segments the coefficients were fitted on (0: not fitted). */
  fittedSegments: z.number().int().nonnegative().default(0),
});
export type ProcessorCosts = z.infer<typeof processorCostsSchema>;

export const modelProfileSchema = z.object({
  kind: z.literal('hetsched.model-profile'),
  version: z.literal(PROFILE_VERSION),
  source: sourceSchema,
  machine: z.string(),
  fingerprint: fingerprintSchema,
  model: z.object({ sha256: z.string(), inputShapes: z.record(z.string(), z.array(z.number().int())) }),
  /** CPU costs by intra-op thread count ("1", "2", ...). */
  cpu: z.record(z.string(), processorCostsSchema),
  gpu: processorCostsSchema
    .extend({
      /** Operator id -> how the GPU compared with the CPU on the same inputs. */
      accuracy: z.record(
        z.string(),
        z.object({
          runsOnGpu: z.boolean(),
          accurate: z.boolean(),
          maxAbsDiff: z.number(),
          maxRelDiff: z.number(),
        }),
      ),
    })
    .nullable(),
});
export type ModelProfile = z.infer<typeof modelProfileSchema>;
