import { writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { Code, HetschedError } from '../common/index.js';
import { drawRoutes, explainPlan, formatExplanation, type PlanDrawing } from '../partition/index.js';
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
        const { main, alternate } = await drawRoutes(graph, plan, basename(flags.model), {
          dot: flags.dot !== undefined,
          svg: flags.svg !== undefined,
        });
        await writeDrawing(main, flags);
        if (plan.alternate)
          await writeDrawing(alternate, {
            dot: flags.dot && alternatePath(flags.dot),
            svg: flags.svg && alternatePath(flags.svg),
          });
        process.stdout.write(
          flags.json ? `${JSON.stringify({ plan, explanation })}\n` : `${formatExplanation(explanation)}\n`,
        );
      } finally {
        await engine.close();
      }
    });
}

/** A drawing's DOT and SVG, each to its file where one is given. */
async function writeDrawing(
  drawing: PlanDrawing,
  files: { readonly dot?: string | undefined; readonly svg?: string | undefined },
): Promise<void> {
  if (files.dot !== undefined) await writeOutput(files.dot, drawing.dot);
  if (files.svg !== undefined) await writeOutput(files.svg, drawing.svg);
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
