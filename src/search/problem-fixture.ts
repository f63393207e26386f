import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, Rng } from '../common/index.js';
import {
  analyticModelProfile,
  CostModel,
  type MachineProfile,
  machineProfileSchema,
  type ThreadBudget,
} from '../cost/index.js';
import { buildGraph } from '../graph/index.js';
import { decodeModel } from '../onnx/index.js';
import { type SynthKind, synthModel } from '../synth/index.js';
import type { ObjectiveKind, SearchProblem, SearchTenant } from './problem.js';

/**
 * Synthetic search problems for tests and benchmarks: seeded synthetic models priced by the
 * analytic roofline of a shipped machine profile (an H100 host by default), so that a problem
 * with GPU costs exists without hardware or profiling. Not part of the search itself: it reads a
 * profile file.
 */

/** A shipped machine profile by file name (without `.json`); from source and from dist alike. */
export function shippedMachine(name: string): MachineProfile {
  const path = join(packageRoot, 'profiles', 'machines', `${name}.json`);
  const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
  return machineProfileSchema.parse(json);
}

export interface FixtureOptions {
  readonly tenants: number;
  /** Operators per tenant. */
  readonly operators: number;
  readonly kind?: SynthKind;
  /** Hidden size of the synthetic models, one for all or per tenant; larger makes the GPU pay off. Default 256. */
  readonly width?: number | readonly number[];
  readonly batch?: number;
  /** Fraction of operators pinned to the CPU, drawn by the seed. Default 0. */
  readonly pinnedFraction?: number;
  readonly objective?: ObjectiveKind;
  readonly seed: number;
  readonly machine?: MachineProfile;
  readonly cpuSlots?: number;
  readonly gpuSlots?: number;
  /** Requests per second per tenant. Default 50. */
  readonly ratePerS?: number;
  /** SLO per tenant, ms. Default 50. */
  readonly sloMs?: number;
  /** Wider CPU thread budgets (SearchMachine.cpuBudgets); the profiles then price their threads too. Default none. */
  readonly cpuBudgets?: readonly ThreadBudget[];
}

/** A seeded synthetic SearchProblem: the same options give the same problem. */
export function syntheticProblem(options: FixtureOptions): SearchProblem {
  const machine = options.machine ?? shippedMachine('nvidia-h100-sxm');
  const rng = new Rng(options.seed);
  const tenants: SearchTenant[] = [];
  for (let t = 0; t < options.tenants; t++) {
    const model = synthModel({
      kind: options.kind ?? 'mixed',
      operators: options.operators,
      width: (typeof options.width === 'number' ? options.width : options.width?.[t]) ?? 256,
      batch: options.batch ?? 1,
      seed: options.seed * 100 + t,
    });
    const graph = buildGraph(decodeModel(model.bytes));
    const cpuThreads = [1, ...(options.cpuBudgets ?? []).map((budget) => budget.threads)];
    const profile = analyticModelProfile(
      graph,
      machine,
      { sha256: `synthetic-${t}`, inputShapes: {} },
      { cpuThreads },
    );
    const cost = new CostModel(graph, machine, profile, { cpuThreads: 1 });
    const pinned = options.pinnedFraction ?? 0;
    tenants.push({
      name: `tenant${t}`,
      graph,
      cost,
      sloMs: options.sloMs ?? 50,
      weight: 1 + t * 0.5,
      ratePerS: options.ratePerS ?? 50,
      gpuAllowed: graph.ops.map(() => !rng.bool(pinned)),
    });
  }
  return {
    tenants,
    machine: {
      cpuSlots: options.cpuSlots ?? 2,
      gpuSlots: options.gpuSlots ?? 1,
      cpuInterference: machine.cpu.interference,
      ...(options.cpuBudgets && { cpuBudgets: options.cpuBudgets }),
    },
    objective: options.objective ?? 'throughput',
    seed: options.seed,
  };
}
