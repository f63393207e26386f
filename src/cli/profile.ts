import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { Code, HetschedError, packageRoot } from '../common/index.js';
import { MODEL_CATALOG } from '../models/index.js';
import { applyVulkanEnvironment, detectGpu, type GpuPreference, ProfileStore } from '../profile/index.js';
import { type ProfileProgress, profileAndStore } from '../runtime/index.js';
import { copyFeeds } from '../tensor/index.js';
import { type ModelSource, machineEngine, modelSources } from './local-model.js';
import { gpuOption } from './placement.js';

interface ProfileFlags {
  models?: string;
  model?: string;
  inputs?: string;
  profiles: string;
  gpu: GpuPreference;
  threads: string;
  runs: number;
  remeasureMachine: boolean;
  softwareGpu: boolean;
}

/** The catalog models profiled by default: the ones tests and demos use (held-out ones stay unseen). */
const DEFAULT_MODELS = MODEL_CATALOG.filter((model) => !model.heldOut).map((model) => model.id);

export function profileCommand(program: Command): void {
  program
    .command('profile')
    .description(
      'measure this machine and models on it: operator costs per processor, switching costs, interference',
    )
    .option('--models <ids>', `catalog models, comma-separated (default: ${DEFAULT_MODELS.join(', ')})`)
    .option('--model <path>', 'profile this ONNX file instead (with --inputs)')
    .option('--inputs <file>', 'inputs for --model, as for hetsched infer')
    .option('--profiles <dir>', 'where profiles are read and written', join(packageRoot, 'profiles'))
    .addOption(gpuOption())
    .option('--threads <list>', 'CPU intra-op thread counts to measure', `1,${availableParallelism()}`)
    .option('--runs <n>', 'measured runs per configuration', (value) => Number.parseInt(value, 10), 30)
    .option('--remeasure-machine', 'measure the machine even if a profile of it exists', false)
    .option(
      '--software-gpu',
      'also measure a software GPU (SwiftShader): slow, for testing the GPU path',
      false,
    )
    .action(async (flags: ProfileFlags) => {
      if (flags.model && !flags.inputs) {
        throw new HetschedError(
          Code.InvalidArgument,
          '--model needs --inputs (the inputs to measure it with)',
        );
      }
      applyVulkanEnvironment();
      const gpu = await detectGpu({ preferred: flags.gpu });
      process.stderr.write(`gpu: ${gpu.detail}\n`);
      const store = ProfileStore.withShipped(flags.profiles);
      const engine = machineEngine(gpu);
      try {
        const threads = [...new Set(flags.threads.split(',').map((value) => Number.parseInt(value, 10)))];
        let remeasureMachine = flags.remeasureMachine;
        for (const { name, path, feeds } of await modelsToProfile(flags)) {
          const served = await engine.loadFile(path, name);
          // The first request is the sample every measurement uses (exact shapes, GPU accuracy).
          if (feeds) await engine.infer(served, copyFeeds(feeds));
          const bar = progressBar();
          const {
            machine,
            model,
            path: file,
            machineMeasured,
          } = await profileAndStore(engine, store, served, {
            cpuThreads: threads,
            runs: flags.runs,
            remeasureMachine,
            softwareGpu: flags.softwareGpu,
            onProgress: bar.update,
          });
          bar.stop();
          // Measured once per command at most.
          remeasureMachine = false;
          process.stderr.write(
            `machine: ${machine.name} (${machineMeasured ? 'measured' : 'profile found'})\n`,
          );
          const cpu = Object.entries(model.cpu)
            .map(
              ([count, costs]) =>
                `cpu x${count} ${costs.whole.medianMs.toFixed(2)} ms (fitted on ${costs.fittedSegments} segments)`,
            )
            .join(', ');
          const onGpu = model.gpu ? `, ${gpu.provider} ${model.gpu.whole.medianMs.toFixed(2)} ms` : '';
          process.stdout.write(`${name}: ${cpu}${onGpu} -> ${file}\n`);
          await engine.unload(served);
        }
      } finally {
        await engine.close();
      }
    });
}

async function modelsToProfile(flags: ProfileFlags): Promise<ModelSource[]> {
  const names = flags.model
    ? [flags.model]
    : flags.models
      ? flags.models.split(',').map((id) => id.trim())
      : DEFAULT_MODELS;
  return modelSources(names, flags.inputs);
}

/** A progress bar on stderr when it is a terminal; one line per step otherwise (CI logs). Steps name the model. */
function progressBar(): { update: (progress: ProfileProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) {
    return {
      update: (progress) => process.stderr.write(`${progress.step} (${progress.done}/${progress.total})\n`),
      stop: () => {},
    };
  }
  const bar = new SingleBar({
    format: '[{bar}] {value}/{total} {step}',
    stream: process.stderr,
    hideCursor: true,
  });
  let started = false;
  return {
    update: (progress) => {
      if (!started) bar.start(progress.total, progress.done, { step: progress.step });
      started = true;
      bar.update(progress.done, { step: progress.step });
    },
    stop: () => bar.stop(),
  };
}
