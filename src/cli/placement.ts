import { readFile } from 'node:fs/promises';
import { Option } from 'commander';
import { Code, HetschedError } from '../common/index.js';
import { parsePlacementSpec } from '../partition/index.js';
import { applyVulkanEnvironment, detectGpu, type GpuInfo, type GpuPreference } from '../profile/index.js';
import type { PlacementRequest } from '../runtime/index.js';

export const PLACEMENT_HELP =
  'all-cpu | all-gpu | random:SEED[@P1,P2,...] | chunks:K | PLAN.json (a plan file)';

/** The --gpu option of the commands that run models. */
export function gpuOption(): Option {
  return new Option('--gpu <provider>', 'GPU execution provider (auto tries cuda, then webgpu)')
    .choices(['auto', 'webgpu', 'cuda', 'none'])
    .default('auto');
}

/** A --placement value: a spec, or the path of a plan file (JSON of the scheduling IR). */
export async function placementRequest(text: string): Promise<PlacementRequest> {
  if (!text.endsWith('.json')) {
    parsePlacementSpec(text); // fail on a typo before anything slow starts
    return { spec: text };
  }
  let raw: string;
  try {
    raw = await readFile(text, 'utf8');
  } catch (error) {
    throw new HetschedError(Code.NotFound, `cannot read plan file ${text}: ${(error as Error).message}`);
  }
  try {
    return { plan: JSON.parse(raw) };
  } catch (error) {
    throw new HetschedError(
      Code.InvalidArgument,
      `plan file ${text} is not JSON: ${(error as Error).message}`,
    );
  }
}

/** Finds the GPU execution provider, unless the placement keeps everything on the CPU. */
export async function gpuFor(
  request: PlacementRequest,
  preferred: GpuPreference,
): Promise<GpuInfo | undefined> {
  if ('spec' in request && (request.spec === 'all-cpu' || request.spec === '')) return undefined;
  applyVulkanEnvironment();
  return detectGpu({ preferred });
}
