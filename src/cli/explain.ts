import { writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { Code, HetschedError } from '../common/index.js';
import type { GraphIR } from '../graph/index.js';
import {
  explainPlan,
  formatExplanation,
  formatShare,
  type Plan,
  planToDot,
  renderSvg,
} from '../partition/index.js';
import type { GpuPreference } from '../profile/index.js';
import { openLocalModel, readInputsFile } from './local-model.js';
import { gpuFor, gpuOption, PLACEMENT_HELP, placementRequest } from './placement.js';

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
    .addOption(gpuOption())
    .option(
      '--dot <file>',
      "write the partitioned graph as Graphviz DOT (a plan's alternate to <file> with .alternate before its extension)",
    )
    .option('--svg <file>', 'write the partitioned graph as SVG (an alternate alike)')
    .option('--json', 'print {"plan": PLAN, "explanation": EXPLANATION}', false)
    .action(async (flags: ExplainFlags) => {
      const placement = await placementRequest(flags.placement);
      const feeds = flags.inputs ? await readInputsFile(flags.inputs) : undefined;
      const gpu = await gpuFor(placement, flags.gpu);
      if (gpu) process.stderr.write(`gpu: ${gpu.detail}\n`);
      const { engine, served } = await openLocalModel(flags.model, gpu);
      try {
        // The first request becomes the model's sample: the graph is analysed with its shapes and
        // GPU operators are checked against the CPU on it, so the plan explained is the one that runs.
        if (feeds) await engine.infer(served, feeds, { placement });
        const plan = await engine.plan(served, placement);
        const { graph, runFailure } = await engine.graph(served);
        if (runFailure) process.stderr.write(`shapes as declared: the model did not run (${runFailure})\n`);
        const explanation = explainPlan(graph, plan);
        const model = basename(flags.model);
        await writeDrawings(graph, plan, `${model}: plan ${plan.spec}`, flags);
        if (plan.alternate) {
          const { share, plan: alternate } = plan.alternate;
          await writeDrawings(
            graph,
            alternate,
            `${model}: alternate, for ${formatShare(share)} of the requests: plan ${alternate.spec}`,
            { dot: flags.dot && alternatePath(flags.dot), svg: flags.svg && alternatePath(flags.svg) },
          );
        }
        process.stdout.write(
          flags.json ? `${JSON.stringify({ plan, explanation })}\n` : `${formatExplanation(explanation)}\n`,
        );
      } finally {
        await engine.close();
      }
    });
}

/** The placement's partitioned graph, as DOT and SVG to the files given (none where none is). */
async function writeDrawings(
  graph: GraphIR,
  plan: Plan,
  title: string,
  files: { readonly dot?: string | undefined; readonly svg?: string | undefined },
): Promise<void> {
  if (files.dot === undefined && files.svg === undefined) return;
  const dot = planToDot(graph, plan, { title });
  if (files.dot !== undefined) await writeOutput(files.dot, dot);
  if (files.svg !== undefined) await writeOutput(files.svg, await renderSvg(dot));
}

/** Where an alternate's drawing goes beside the plan's: `plan.dot` -> `plan.alternate.dot`. */
function alternatePath(path: string): string {
  const extension = extname(path);
  return `${path.slice(0, path.length - extension.length)}.alternate${extension}`;
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
