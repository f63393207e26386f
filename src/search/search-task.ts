import { CostModel, type MachineProfile, type ModelProfile } from '../cost/index.js';
import type { GraphIR } from '../graph/index.js';
import type { PlanSearchOptions } from './plan-search.js';
import type { ObjectiveKind, SearchMachine, SearchProblem } from './problem.js';

/**
 * A SearchProblem as plain data, to cross into a worker thread (a CostModel is a class: it is sent
 * as what it is built from and built again on the other side).
 */
export interface SearchTask {
  readonly tenants: readonly {
    readonly name: string;
    readonly graph: GraphIR;
    readonly machine: MachineProfile;
    readonly profile: ModelProfile;
    readonly cpuThreads: number;
    readonly sloMs: number;
    readonly weight: number;
    readonly ratePerS: number;
    readonly gpuAllowed: readonly boolean[];
  }[];
  readonly machine: SearchMachine;
  readonly objective: ObjectiveKind;
  readonly seed: number;
  /**
   * Without `deadline` and `lpSolver`: a clock or a function cannot cross threads (the worker
   * applies `budgetMs` with its own clock, and makes its own LP solver).
   */
  readonly options: Omit<PlanSearchOptions, 'deadline' | 'lpSolver'> & { readonly budgetMs?: number };
}

export function toSearchTask(problem: SearchProblem, options: SearchTask['options']): SearchTask {
  return {
    tenants: problem.tenants.map((tenant) => ({
      name: tenant.name,
      graph: tenant.graph,
      machine: tenant.cost.machine,
      profile: tenant.cost.model,
      cpuThreads: tenant.cost.options.cpuThreads,
      sloMs: tenant.sloMs,
      weight: tenant.weight,
      ratePerS: tenant.ratePerS,
      gpuAllowed: tenant.gpuAllowed,
    })),
    machine: problem.machine,
    objective: problem.objective,
    seed: problem.seed,
    options,
  };
}

export function fromSearchTask(task: SearchTask): SearchProblem {
  return {
    tenants: task.tenants.map((tenant) => ({
      name: tenant.name,
      graph: tenant.graph,
      cost: new CostModel(tenant.graph, tenant.machine, tenant.profile, { cpuThreads: tenant.cpuThreads }),
      sloMs: tenant.sloMs,
      weight: tenant.weight,
      ratePerS: tenant.ratePerS,
      gpuAllowed: tenant.gpuAllowed,
    })),
    machine: task.machine,
    objective: task.objective,
    seed: task.seed,
  };
}
