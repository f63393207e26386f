import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Command, Option } from 'commander';
import { Code, HetschedError } from '../common/index.js';
import { explainPlan, formatExplanation, planToDot, renderSvg } from '../partition/index.js';
import type { GpuPreference } from '../profile/index.js';
import { Engine } from '../runtime/index.js';
import { type TensorData, tensorFromJson } from '../tensor/index.js';
import { gpuFor, PLACEMENT_HELP, placementRequest } from './placement.js';

interface ExplainFlags {
  model: string;
  placement: string;
  inputs?: string;
  gpu: GpuPreference;
  dot?: string;
  svg?: string;
  json: boolean;
}

/** `hetsched explain`: how a placement splits a model, as a table, JSON, DOT or SVG. */
export function explainCommand(program: Command): void {
  program
    .command('explain')
    .description(
      'show how a placement splits a model: segments, their work and traffic, operators pinned to the CPU',
    )
    .requiredOption('--model <path>', 'ONNX model file')
    .option('--placement <spec>', `where operators run: ${PLACEMENT_HELP}`, 'all-cpu')
    .option(
      '--inputs <file>',
      'run one inference with these inputs first, so shapes are exact and GPU operators are checked (same format as infer)',
    )
    .addOption(
      new Option('--gpu <provider>', 'GPU execution provider')
        .choices(['auto', 'webgpu', 'cuda', 'none'])
        .default('auto'),
    )
    .option('--dot <file>', 'write the partitioned graph as Graphviz DOT')
    .option('--svg <file>', 'write the partitioned graph as SVG')
    .option('--json', 'print {"plan": PLAN, "explanation": EXPLANATION}', false)
    .action(async (flags: ExplainFlags) => {
      const placement = await placementRequest(flags.placement);
      const feeds = flags.inputs
        ? parseInputsFile(await readFileOrThrow(flags.inputs), flags.inputs)
        : undefined;
      const gpu = await gpuFor(placement, flags.gpu);
      if (gpu) process.stderr.write(`gpu: ${gpu.detail}\n`);
      const engine = new Engine({ cpuThreads: 1, intraOpThreads: 1, maxQueueLength: 1, ...(gpu && { gpu }) });
      try {
        const { info, sha256 } = await engine.inspect(await readFile(flags.model));
        const served = engine.load({
          key: flags.model,
          path: flags.model,
          sha256,
          inputs: info.inputs,
          outputs: info.outputs,
          latencySloMs: Number.POSITIVE_INFINITY,
        });
        // The first request becomes the model's sample: the graph is analysed with its shapes and
        // GPU operators are checked against the CPU on it, so the plan explained is the one that runs.
        if (feeds) await engine.infer(served, feeds, { placement });
        const plan = await engine.plan(served, placement);
        const { graph, runFailure } = await engine.graph(served);
        if (runFailure) process.stderr.write(`shapes as declared: the model did not run (${runFailure})\n`);
        const explanation = explainPlan(graph, plan);
        if (flags.dot !== undefined || flags.svg !== undefined) {
          const dot = planToDot(graph, plan, { title: `${basename(flags.model)}: plan ${plan.spec}` });
          if (flags.dot !== undefined) await writeOutput(flags.dot, dot);
          if (flags.svg !== undefined) await writeOutput(flags.svg, await renderSvg(dot));
        }
        process.stdout.write(
          flags.json ? `${JSON.stringify({ plan, explanation })}\n` : `${formatExplanation(explanation)}\n`,
        );
      } finally {
        await engine.close();
      }
    });
}

async function readFileOrThrow(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new HetschedError(Code.NotFound, `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new HetschedError(Code.InvalidArgument, `cannot write ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  process.stderr.write(`wrote ${path}\n`);
}

// Same format as `hetsched infer --inputs` (its parser is private to infer.ts).
function parseInputsFile(text: string, path: string): Map<string, TensorData> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HetschedError(Code.InvalidArgument, `${path} is not JSON: ${(error as Error).message}`);
  }
  const inputs = (parsed as { inputs?: unknown } | null)?.inputs;
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
    throw new HetschedError(
      Code.InvalidArgument,
      `${path} must hold {"inputs": {NAME: {dtype, dims, data}}}`,
    );
  }
  return new Map(Object.entries(inputs).map(([name, value]) => [name, tensorFromJson(name, value)]));
}
