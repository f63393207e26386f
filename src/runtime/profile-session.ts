import type { MachineProfile, ModelProfile } from '../cost/index.js';
import { hardwareFingerprint, type ProfileStore } from '../profile/index.js';
import type { Engine, ServedModel } from './engine.js';
import type { ProfileProgress } from './profiler.js';

export interface ProfileSessionOptions {
  /** CPU intra-op thread counts to measure. */
  readonly cpuThreads: readonly number[];
  /** Measured runs per configuration. */
  readonly runs: number;
  /** Measure the machine even if a profile of this hardware is stored. */
  readonly remeasureMachine?: boolean;
  /** Measure the model on a software GPU too (see ModelProfilingOptions.softwareGpu). */
  readonly softwareGpu?: boolean;
  readonly onProgress?: (progress: ProfileProgress) => void;
}

export interface ProfileSessionResult {
  readonly machine: MachineProfile;
  readonly model: ModelProfile;
  /** Where the model profile was written. */
  readonly path: string;
  /** Whether the machine was measured now (false: a stored profile of this hardware was used). */
  readonly machineMeasured: boolean;
}

/**
 * Profiles one served model and stores the result: the machine profile of this hardware is reused
 * when the store holds one with the same fingerprint, measured and stored otherwise. What both
 * `hetsched profile` and the Profile RPC run.
 */
export async function profileAndStore(
  engine: Engine,
  store: ProfileStore,
  served: ServedModel,
  options: ProfileSessionOptions,
): Promise<ProfileSessionResult> {
  const step = (prefix: string) => (progress: ProfileProgress) =>
    options.onProgress?.({ ...progress, step: `${prefix}: ${progress.step}` });
  const stored = options.remeasureMachine
    ? undefined
    : await store.machineFor(hardwareFingerprint(engine.gpu));
  let machine = stored;
  if (!machine) {
    machine = await engine.profileMachine({ runs: options.runs, onProgress: step('machine') });
    await store.saveMachine(machine);
  }
  const model = await engine.profileModel(served, {
    machine,
    cpuThreads: options.cpuThreads,
    warmup: 5,
    runs: options.runs,
    onProgress: step(served.model.key),
    ...(options.softwareGpu !== undefined && { softwareGpu: options.softwareGpu }),
  });
  const path = await store.saveModel(model);
  return { machine, model, path, machineMeasured: stored === undefined };
}
