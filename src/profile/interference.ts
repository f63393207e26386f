import { Worker } from 'node:worker_threads';
import { OP_CLASSES, type OpClass, opClass } from '../cost/index.js';
import type { GraphIR } from '../graph/index.js';
import type { TensorData } from '../tensor/index.js';
import { measureModel } from './measure-model.js';

/** A model to calibrate with: its bytes, analysed graph (with shapes) and inputs. */
export interface CalibrationModel {
  readonly bytes: Uint8Array;
  readonly graph: GraphIR;
  readonly feeds: Readonly<Record<string, TensorData>>;
}

export interface CpuCalibration {
  /** Slowdown per operator class (and 'default') by other busy cores: factor[k], k = 0..cores-1. */
  readonly interference: Record<string, number[]>;
  /** Sustained GFLOP/s of one core on compute-bound operators (Conv, MatMul, Gemm). */
  readonly gflopsPerCore: number;
  /** Bytes moved per second by memory-bound operators, as GB/s. */
  readonly memoryGBps: number;
}

/**
 * What a busy core runs while the calibration measures: floating-point work streaming through
 * 32 MiB, more than the last-level caches of the machines hetsched runs on — what a co-running
 * inference does to its neighbours (shared caches, memory bandwidth, the FP units of a sibling
 * hyperthread). An integer busy loop measured no slowdown at all where co-running models lost 20%.
 */
const AGGRESSOR = `
const data = new Float64Array(4 << 20);
for (;;) for (let i = 0; i < data.length; i += 8) data[i] = data[i] * 1.0000001 + 1;
`;

/**
 * Times the calibration models' operators on one thread while 0, 1, ... cores-1 other cores are
 * busy (threads running AGGRESSOR), per operator class: how much a CPU segment slows when the other pool
 * threads are busy (VELTAIR's interference). The unloaded run also gives the compute and memory
 * rates the analytic fallback prices unmeasured operators with.
 */
export async function calibrateCpu(
  models: readonly CalibrationModel[],
  cores: number,
  options: { warmup: number; runs: number },
): Promise<CpuCalibration> {
  const byLoad: Map<OpClass, number>[] = [];
  let computeFlops = 0;
  let computeMs = 0;
  let memoryBytes = 0;
  let memoryMs = 0;
  for (let busy = 0; busy < Math.max(1, cores); busy++) {
    const spinners = Array.from({ length: busy }, () => new Worker(AGGRESSOR, { eval: true }));
    try {
      const perClass = new Map<OpClass, number>();
      for (const model of models) {
        const costs = await measureModel(model.bytes, model.graph, model.feeds, {
          provider: 'cpu',
          threads: 1,
          warmup: options.warmup,
          runs: options.runs,
          launchMs: 0,
        });
        for (const op of model.graph.ops) {
          const ms = costs.ops[op.id]?.medianMs ?? 0;
          const kind = opClass(op.opType);
          perClass.set(kind, (perClass.get(kind) ?? 0) + ms);
          if (busy > 0 || ms <= 0) continue;
          if ((kind === 'conv' || kind === 'matmul') && op.flops) {
            computeFlops += op.flops;
            computeMs += ms;
          } else if (
            (kind === 'elementwise' || kind === 'data') &&
            op.activationBytesIn !== null &&
            op.bytesOut !== null
          ) {
            memoryBytes += op.activationBytesIn + op.bytesOut;
            memoryMs += ms;
          }
        }
      }
      byLoad.push(perClass);
    } finally {
      await Promise.all(spinners.map((spinner) => spinner.terminate()));
    }
  }
  const interference: Record<string, number[]> = {};
  const total = (load: Map<OpClass, number>) => [...load.values()].reduce((sum, ms) => sum + ms, 0);
  const base = byLoad[0] ?? new Map<OpClass, number>();
  interference.default = byLoad.map((load) => ratio(total(load), total(base)));
  for (const kind of OP_CLASSES) {
    if ((base.get(kind) ?? 0) > 0)
      interference[kind] = byLoad.map((load) => ratio(load.get(kind) ?? 0, base.get(kind) ?? 0));
  }
  return {
    interference,
    gflopsPerCore: computeMs > 0 ? computeFlops / computeMs / 1e6 : 1,
    memoryGBps: memoryMs > 0 ? memoryBytes / memoryMs / 1e6 : 1,
  };
}

/** A slowdown factor, never below 1 (a faster run under load is noise). */
function ratio(loaded: number, idle: number): number {
  return idle > 0 ? Math.max(1, loaded / idle) : 1;
}
