import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { inspectModel } from '../src/onnx/index.js';
import type { Engine, ServedModel } from '../src/runtime/index.js';

/** Serves a model file in a benchmark's engine, as a tenant with this SLO (none by default). */
export async function loadModel(
  engine: Engine,
  path: string,
  key: string,
  latencySloMs = Number.POSITIVE_INFINITY,
): Promise<ServedModel> {
  const bytes = await readFile(path);
  const info = inspectModel(bytes);
  return engine.load({
    key,
    path,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    inputs: info.inputs,
    outputs: info.outputs,
    latencySloMs,
  });
}
