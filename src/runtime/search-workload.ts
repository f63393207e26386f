import { Code, HetschedError } from '../common/index.js';
import {
  analyticModelProfile,
  CostModel,
  type MachineProfile,
  type ModelProfile,
  requestSlotsFor,
  type ThreadBudget,
} from '../cost/index.js';
import { hardwareFingerprint, type ProfileStore } from '../profile/index.js';
import type { ObjectiveKind, SearchProblem, SearchTenant } from '../search/index.js';
import type { Engine, ServedModel } from './engine.js';
import { profileAndStore } from './profile-session.js';
import type { ProfileProgress } from './profiler.js';

/** A served model with the QoS it is planned for. */
export interface WorkloadTenant {
  readonly name: string;
  readonly served: ServedModel;
  readonly sloMs: number;
  readonly weight: number;
  readonly ratePerS: number;
}

export interface WorkloadOptions {
  readonly store: ProfileStore;
  readonly objective: ObjectiveKind;
  readonly seed: number;
  /**
   * Plan for the GPU of this machine profile (by name: an analytic one such as `nvidia-h100-sxm`,
   * or a measured one) with this machine's CPU: a plan made here for a machine that is not.
   */
  readonly gpuProfile?: string;
  /** Plan on a software GPU (SwiftShader, lavapipe): it shares the CPU's cores, so never by default. */
  readonly allowSoftwareGpu?: boolean;
  /**
   * Offer the search wider CPU thread budgets (2, 3, ... times the engine's intra-op threads, up
   * to all its CPU workers' share) where every tenant's profile has CPU measurements at them.
   * Default true.
   */
  readonly threadBudgets?: boolean;
  /** Measure what is missing (the machine, a model) instead of failing. */
  readonly measureMissing?: boolean;
  /** Runs per configuration when measuring. */
  readonly runs?: number;
  readonly onProgress?: (progress: ProfileProgress) => void;
}

export interface Workload {
  readonly problem: SearchProblem;
  /** The machine the plan is for (this CPU, and the GPU planned on). */
  readonly machine: MachineProfile;
  /** What the planner decided about the inputs and why (a software GPU left out...). */
  readonly notes: readonly string[];
}

/**
 * Builds the search's input for served models on this machine: this machine's measured profile
 * (its CPU, switching costs and interference) and each model's measured profile from the store —
 * measured now where missing and `measureMissing` — joined, where asked, with another machine's
 * GPU: its analytic roofline prices every operator there. Operators the local GPU did not run, or
 * computed differently from the CPU, may not go to it; on an analytic GPU nothing was checked, so
 * every operator may (the runtime's accuracy guard checks them when the plan runs there).
 */
export async function searchWorkload(
  engine: Engine,
  tenants: readonly WorkloadTenant[],
  options: WorkloadOptions,
): Promise<Workload> {
  const notes: string[] = [];
  const local = await localMachine(engine, options, notes);
  const target = options.gpuProfile ? await options.store.machine(options.gpuProfile) : undefined;
  if (options.gpuProfile && !target?.gpu) {
    throw new HetschedError(
      Code.NotFound,
      `no machine profile named '${options.gpuProfile}' with a GPU (see profiles/machines)`,
    );
  }
  const softwareGpu = local.fingerprint.gpu?.software === true;
  let gpuSource: 'none' | 'local' | 'target' = 'none';
  if (target) gpuSource = 'target';
  else if (local.gpu && (!softwareGpu || options.allowSoftwareGpu)) gpuSource = 'local';
  else if (local.gpu) {
    notes.push(
      `the GPU here is a software one (${local.fingerprint.gpu?.adapter}): it shares the CPU's cores, so nothing is planned on it (allow it to test the GPU path)`,
    );
  }
  const machine: MachineProfile =
    gpuSource === 'target' && target
      ? { ...local, name: `${local.name}+${target.name}`, source: target.source, gpu: target.gpu }
      : gpuSource === 'local'
        ? local
        : { ...local, gpu: null };
  if (target) notes.push(`GPU costs from ${target.name} (${target.source}); CPU costs measured here`);

  const intraOp = engine.intraOpThreads;
  const searchTenants: SearchTenant[] = [];
  const profiles: ModelProfile[] = [];
  for (const tenant of tenants) {
    const { graph } = await engine.graph(tenant.served);
    const measured = await modelProfile(engine, tenant, local, options);
    let profile: ModelProfile = measured;
    if (gpuSource === 'target') {
      const shapes = Object.fromEntries(tenant.served.model.inputs.map((input) => [input.name, input.shape]));
      const analytic = analyticModelProfile(graph, machine, {
        sha256: tenant.served.model.sha256,
        inputShapes: shapes,
      });
      profile = { ...measured, gpu: analytic.gpu };
    } else if (gpuSource === 'none') {
      profile = { ...measured, gpu: null };
    } else if (!measured.gpu) {
      notes.push(
        `${tenant.name}: its profile has no GPU measurements, so it stays on the CPU (profile it with the GPU${softwareGpu ? ': --software-gpu' : ''})`,
      );
    }
    const accuracy = profile.gpu?.accuracy ?? {};
    profiles.push(profile);
    searchTenants.push({
      name: tenant.name,
      graph,
      cost: new CostModel(graph, machine, profile, { cpuThreads: intraOp }),
      sloMs: tenant.sloMs,
      weight: tenant.weight,
      ratePerS: tenant.ratePerS,
      gpuAllowed: graph.ops.map((op) => {
        if (!profile.gpu) return false;
        const verdict = accuracy[op.id];
        return verdict === undefined || (verdict.runsOnGpu && verdict.accurate);
      }),
    });
  }
  // One GPU thread, as the engine runs a GPU: one device queue.
  const gpuSlots = machine.gpu ? 1 : 0;
  const cpuBudgets = options.threadBudgets === false ? [] : threadBudgets(engine, profiles, notes);
  return {
    problem: {
      tenants: searchTenants,
      machine: {
        cpuSlots: engine.cpuThreads,
        gpuSlots,
        // The engine's admission rule, for the threads of the machine planned for (its GPU may not be here).
        requestSlots: requestSlotsFor(engine.cpuThreads + gpuSlots, engine.requestSlotsPerThread),
        cpuInterference: machine.cpu.interference,
        ...(cpuBudgets.length > 0 && { cpuBudgets }),
      },
      objective: options.objective,
      seed: options.seed,
    },
    machine,
    notes,
  };
}

/**
 * The wider thread budgets an engine can run (a CPU session of k times its intra-op threads
 * holds k of its CPU workers' slots, k up to all of them) and every profile has measured; what it
 * offers and what it cannot are added to `notes`.
 */
export function threadBudgets(
  engine: Pick<Engine, 'cpuThreads' | 'intraOpThreads'>,
  profiles: readonly Pick<ModelProfile, 'cpu'>[],
  notes: string[],
): ThreadBudget[] {
  const budgets: ThreadBudget[] = [];
  const missing: number[] = [];
  for (let slots = 2; slots <= engine.cpuThreads; slots++) {
    const threads = slots * engine.intraOpThreads;
    if (profiles.every((profile) => profile.cpu[String(threads)] !== undefined))
      budgets.push({ threads, slots });
    else missing.push(threads);
  }
  if (budgets.length > 0)
    notes.push(
      `CPU thread budgets: ${budgets.map((b) => `${b.threads} threads on ${b.slots} slots`).join(', ')}`,
    );
  if (missing.length > 0)
    notes.push(
      `no CPU thread budget of ${missing.join(', ')} threads: not every model's profile measured them (hetsched profile --threads ${[engine.intraOpThreads, ...missing].join(',')})`,
    );
  return budgets;
}

async function localMachine(
  engine: Engine,
  options: WorkloadOptions,
  notes: string[],
): Promise<MachineProfile> {
  const stored = await options.store.machineFor(hardwareFingerprint(engine.gpu));
  if (stored) return stored;
  if (!options.measureMissing) {
    throw new HetschedError(
      Code.FailedPrecondition,
      'this machine has no profile yet: run hetsched profile (or the Profile RPC) first',
    );
  }
  notes.push('this machine had no profile: measured it');
  const machine = await engine.profileMachine({
    runs: options.runs ?? 20,
    ...(options.onProgress && { onProgress: options.onProgress }),
  });
  await options.store.saveMachine(machine);
  return machine;
}

async function modelProfile(
  engine: Engine,
  tenant: WorkloadTenant,
  machine: MachineProfile,
  options: WorkloadOptions,
): Promise<ModelProfile> {
  const { model } = tenant.served;
  const shapes = Object.fromEntries(model.inputs.map((input) => [input.name, input.shape]));
  const stored = await options.store.model(machine.name, model.sha256, shapes);
  if (stored?.cpu[String(engine.intraOpThreads)]) return stored;
  if (!options.measureMissing) {
    throw new HetschedError(
      Code.FailedPrecondition,
      `${tenant.name} has no profile on ${machine.name} at ${engine.intraOpThreads} intra-op thread(s): profile it first`,
    );
  }
  const measured = await profileAndStore(engine, options.store, tenant.served, {
    cpuThreads: [engine.intraOpThreads],
    runs: options.runs ?? 20,
    ...(options.onProgress && { onProgress: options.onProgress }),
    ...(options.allowSoftwareGpu !== undefined && { softwareGpu: options.allowSoftwareGpu }),
  });
  return measured.model;
}
