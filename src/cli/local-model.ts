import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Code, HetschedError } from '../common/index.js';
import { ensureModels, exampleFeeds, MODEL_CATALOG } from '../models/index.js';
import type { GpuInfo } from '../profile/index.js';
import { Engine, type ServedModel } from '../runtime/index.js';
import { type TensorData, tensorFromJson } from '../tensor/index.js';

/** A model file served by a private engine, for commands that run without a server. */
export interface LocalModel {
  readonly engine: Engine;
  readonly served: ServedModel;
}

/** Loads one model file into a one-worker engine (with the GPU pool when a GPU was found). */
export async function openLocalModel(path: string, gpu: GpuInfo | undefined): Promise<LocalModel> {
  const engine = new Engine({ cpuThreads: 1, intraOpThreads: 1, maxQueueLength: 1, ...(gpu && { gpu }) });
  try {
    return { engine, served: await engine.loadFile(path) };
  } catch (error) {
    await engine.close();
    throw error;
  }
}

/**
 * An engine with a worker on every core (and the GPU pool where there is a GPU), for commands that
 * measure or plan this machine as the server would run it.
 */
export function machineEngine(gpu: GpuInfo): Engine {
  return new Engine({ cpuThreads: availableParallelism(), intraOpThreads: 1, maxQueueLength: 4, gpu });
}

/** Reads an inputs file: `{"inputs": {NAME: {"dtype": "float32", "dims": [..], "data": [..]}}}`. */
export async function readInputsFile(path: string): Promise<Map<string, TensorData>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readText(path, 'utf8'));
  } catch (error) {
    if (error instanceof HetschedError) throw error;
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

async function readText(path: string, encoding: 'utf8'): Promise<string>;
async function readText(path: string, encoding: null): Promise<Buffer>;
async function readText(path: string, encoding: 'utf8' | null): Promise<string | Buffer> {
  try {
    return encoding ? await readFile(path, encoding) : await readFile(path);
  } catch (error) {
    throw new HetschedError(Code.NotFound, `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** A model a command runs: its name, its file, and the inputs to run it with (where known). */
export interface ModelSource {
  readonly name: string;
  readonly path: string;
  readonly feeds?: Map<string, TensorData>;
}

const CATALOG_IDS = new Set(MODEL_CATALOG.map((model) => model.id));

/**
 * Models named on a command line: catalog ids (fetched and checked, with their example inputs) or
 * ONNX files, which take the inputs files given (comma-separated, in order), if any.
 */
export async function modelSources(
  names: readonly string[],
  inputs: string | undefined,
): Promise<ModelSource[]> {
  const inputFiles = inputs ? inputs.split(',').map((file) => file.trim()) : [];
  const catalog = names.filter((name) => CATALOG_IDS.has(name));
  const paths = catalog.length > 0 ? await ensureModels(catalog) : new Map<string, string>();
  let fileIndex = 0;
  return Promise.all(
    names.map(async (name) => {
      if (CATALOG_IDS.has(name)) {
        const feeds = exampleFeeds(name, { seed: 1 });
        return { name, path: paths.get(name) ?? '', feeds: new Map(Object.entries(feeds)) };
      }
      const file = inputFiles[fileIndex++];
      return { name, path: name, ...(file && { feeds: await readInputsFile(file) }) };
    }),
  );
}
