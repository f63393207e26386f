import type { Command } from 'commander';
import type { GpuPreference } from '../profile/index.js';
import { type TensorData, tensorToJson } from '../tensor/index.js';
import { describePlan } from './describe-plan.js';
import { openLocalModel, readInputsFile } from './local-model.js';
import { gpuFor, gpuOption, PLACEMENT_HELP, placementRequest } from './placement.js';

interface InferFlags {
  model: string;
  inputs: string;
  placement: string;
  gpu: GpuPreference;
  outputs?: string;
  json: boolean;
}

export function inferCommand(program: Command): void {
  program
    .command('infer')
    .description('run one model locally (no server) and print its outputs')
    .requiredOption('--model <path>', 'ONNX model file')
    .requiredOption(
      '--inputs <file>',
      'JSON file: {"inputs": {NAME: {"dtype": "float32", "dims": [..], "data": [..]}}}',
    )
    .option('--placement <spec>', `where operators run: ${PLACEMENT_HELP}`, 'all-cpu')
    .addOption(gpuOption())
    .option('--outputs <names>', 'comma-separated outputs to fetch (default: all)')
    .option('--json', 'print {"outputs": {NAME: {dtype, dims, data}}}', false)
    .action(async (flags: InferFlags) => {
      const placement = await placementRequest(flags.placement);
      const feeds = await readInputsFile(flags.inputs);
      const gpu = await gpuFor(placement, flags.gpu);
      if (gpu) process.stderr.write(`gpu: ${gpu.detail}\n`);
      const { engine, served } = await openLocalModel(flags.model, gpu);
      try {
        const outputs = flags.outputs ? flags.outputs.split(',').map((name) => name.trim()) : [];
        // The request's own inputs are the sample the plan is checked with (shapes, GPU accuracy).
        const result = await engine.infer(served, feeds, { outputs, placement });
        process.stderr.write(`${describePlan(await engine.plan(served, placement))}\n`);
        process.stdout.write(
          flags.json ? formatJson(result.outputs) : formatSummary(result.outputs, result.computeMs),
        );
      } finally {
        await engine.close();
      }
    });
}

function formatJson(outputs: ReadonlyMap<string, TensorData>): string {
  const object = Object.fromEntries([...outputs].map(([name, tensor]) => [name, tensorToJson(tensor)]));
  return `${JSON.stringify({ outputs: object })}\n`;
}

function formatSummary(outputs: ReadonlyMap<string, TensorData>, computeMs: number): string {
  const lines = [...outputs].map(([name, tensor]) => {
    const { data } = tensorToJson(tensor);
    const head = data
      .slice(0, 6)
      .map((value) => (typeof value === 'number' ? Number(value.toPrecision(5)) : value));
    return `${name}: ${tensor.dtype}[${tensor.dims.join(',')}] ${JSON.stringify(head)}${data.length > 6 ? ' ...' : ''}`;
  });
  return `${[...lines, `(${computeMs.toFixed(2)} ms in onnxruntime)`].join('\n')}\n`;
}
