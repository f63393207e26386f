import { Worker } from 'node:worker_threads';
import { fromErrorData, workerEntry } from '../common/index.js';
import { OP_CLASSES, type OpClass, opClass } from '../cost/index.js';
import type { GraphIR } from '../graph/index.js';
import type { TensorData } from '../tensor/index.js';
import { measureModel } from './measure-model.js';
import { timingOf } from './timing.js';
import type { CoRunTask, WorkerReply } from './worker-protocol.js';

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

/** Unloaded and loaded measurements alternate this many times; each factor is the median of its rounds' ratios. */
const ROUNDS = 3;

/** One measurement at one load: per class the operators' profiled time, and the models' whole runs. */
interface LoadSample {
  readonly perClass: Map<OpClass, number>;
  readonly wholeMs: number;
}

/**
 * Times the calibration models' operators, and the models whole, on one thread while 0, 1, ...
 * cores-1 other cores run inference too (the same models, whole, in a loop: a co-located tenant),
 * per operator class: how much a CPU segment slows when the other pool threads are busy
 * (VELTAIR's interference). The loads alternate, round after round, and each factor is the median
 * over rounds of a loaded time against the unloaded time of its own round. The machine drifts
 * (clock, neighbours) between measurements taken apart: from one pair of them, the default factor
 * was 1.20 in one run of bench costmodel and 1.08 in the next, on the same code (its
 * `machine.interference`). The unloaded runs also give the compute and memory rates the analytic
 * fallback prices unmeasured operators with.
 */
export async function calibrateCpu(
  models: readonly CalibrationModel[],
  cores: number,
  options: { warmup: number; runs: number },
): Promise<CpuCalibration> {
  const loads = Math.max(1, cores);
  const runs = Math.max(3, Math.ceil(options.runs / ROUNDS));
  // rounds[r][k]: round r at k other busy cores.
  const rounds: LoadSample[][] = [];
  let computeFlops = 0;
  let computeMs = 0;
  let memoryBytes = 0;
  let memoryMs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const samples: LoadSample[] = [];
    for (let busy = 0; busy < loads; busy++) {
      const spinners = await Promise.all(Array.from({ length: busy }, () => startCoRunner(models)));
      try {
        const perClass = new Map<OpClass, number>();
        let wholeMs = 0;
        for (const model of models) {
          const costs = await measureModel(model.bytes, model.graph, model.feeds, {
            provider: 'cpu',
            threads: 1,
            warmup: options.warmup,
            runs,
            launchMs: 0,
          });
          wholeMs += costs.whole.medianMs;
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
        samples.push({ perClass, wholeMs });
      } finally {
        await Promise.all(spinners.map((spinner) => spinner.stop()));
      }
    }
    rounds.push(samples);
  }
  const total = (load: Map<OpClass, number>) => [...load.values()].reduce((sum, ms) => sum + ms, 0);
  // Per round and load: the operators' profiled times give each class's share of the slowdown;
  // the whole optimised runs give its level (they also see what per-kernel timing hides: fused
  // kernels, the arena).
  const factors = (kind: OpClass | 'default'): number[] =>
    Array.from(
      { length: loads },
      (_, k) =>
        timingOf(
          rounds.map((samples) => {
            const base = samples[0] as LoadSample;
            const load = samples[k] as LoadSample;
            const ops = ratio(total(load.perClass), total(base.perClass));
            const level = Math.max(1, ratio(load.wholeMs, base.wholeMs) / ops);
            const share =
              kind === 'default' ? ops : ratio(load.perClass.get(kind) ?? 0, base.perClass.get(kind) ?? 0);
            return share * level;
          }),
        ).medianMs,
    );
  const interference: Record<string, number[]> = { default: factors('default') };
  const first = rounds[0]?.[0]?.perClass ?? new Map<OpClass, number>();
  for (const kind of OP_CLASSES) if ((first.get(kind) ?? 0) > 0) interference[kind] = factors(kind);
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

/**
 * A thread running the models whole on the CPU until stopped: what a co-located inference does to
 * its neighbours (shared caches, memory bandwidth, a sibling hyperthread's units); an integer busy
 * loop, tried first, contends for none of them and showed no slowdown. Resolves
 * once it runs; `stop` lets its current run finish (terminating a thread inside onnxruntime's run
 * aborts the process) and waits for it to end.
 */
async function startCoRunner(models: readonly CalibrationModel[]): Promise<{ stop: () => Promise<void> }> {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const task: CoRunTask = {
    kind: 'co-run',
    stop,
    models: models.map(({ bytes, feeds }) => ({ model: bytes, feeds })),
  };
  const entry = workerEntry('profile-worker');
  const worker = new Worker(new URL(entry.filename), { workerData: { ...entry.workerData, task } });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const stopIt = async () => {
    Atomics.store(stop, 0, 1);
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (reply: WorkerReply<string>) =>
        reply.ok ? resolve() : reject(fromErrorData(reply.error)),
      );
      worker.once('error', reject);
      void exited.then(() => reject(new Error('the co-running worker ended before it ran')));
    });
  } catch (error) {
    await stopIt();
    throw error;
  }
  return { stop: stopIt };
}
