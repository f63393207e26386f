import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogModel, exampleFeeds, modelPath } from '../src/models/index.js';
import { synthInputs, synthModel } from '../src/synth/index.js';
import { type TensorData, tensorFromJson, tensorToJson } from '../src/tensor/index.js';
import { runCli } from './helpers/cli.js';
import { ATOL, RTOL } from './helpers/parity.js';
import { referenceRun } from './helpers/reference.js';

/**
 * `hetsched infer --placement random:7` on models no other test uses (held out from the catalog,
 * and a synthetic shape drawn fresh): the split run must equal onnxruntime running them whole.
 * With a GPU (SwiftShader in CI) the random placement mixes it in; without one, every GPU
 * operator is pinned back to the CPU and the plan line says so.
 */
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hetsched-unseen-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function unseenSynthetic(): Promise<{ path: string; feeds: Record<string, TensorData> }> {
  const model = synthModel({ kind: 'mixed', operators: 70, seed: 20261122 });
  const path = join(scratch, 'unseen-mixed.onnx');
  await writeFile(path, model.bytes);
  const feeds = Object.fromEntries(
    [...synthInputs(model, 3)].map(([name, data]) => [
      name,
      {
        dtype: 'float32' as const,
        dims: model.inputs.find((input) => input.name === name)?.dims ?? [],
        data: data.slice(),
      },
    ]),
  );
  return { path, feeds };
}

describe('hetsched infer --placement random:7 on models it has never seen', () => {
  it.each(['silero-vad-v6', 'openwakeword-namaste', 'synthetic'])('%s', { timeout: 300_000 }, async (id) => {
    let path: string;
    let feeds: Record<string, TensorData>;
    if (id === 'synthetic') {
      ({ path, feeds } = await unseenSynthetic());
    } else {
      expect(catalogModel(id).heldOut).toBe(true);
      path = modelPath(id);
      feeds = exampleFeeds(id, { seed: 13 });
    }
    const inputs = join(scratch, `${id}-inputs.json`);
    await writeFile(
      inputs,
      JSON.stringify({
        inputs: Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, tensorToJson(t)])),
      }),
    );
    const result = await runCli([
      'infer',
      '--model',
      path,
      '--inputs',
      inputs,
      '--placement',
      'random:7',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/plan random:7: \d+ segment\(s\)/);
    const printed = JSON.parse(result.stdout) as { outputs: Record<string, unknown> };
    const expected = await referenceRun(path, feeds);
    expect(Object.keys(printed.outputs).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, tensor] of Object.entries(expected)) {
      const got = tensorFromJson(name, printed.outputs[name]);
      expect(got.dims).toEqual(tensor.dims);
      const want = tensor.data as Float32Array;
      got.data.forEach((value, i) => {
        const diff = Math.abs(Number(value) - Number(want[i]));
        expect(diff, `${name}[${i}]`).toBeLessThanOrEqual(Math.max(ATOL, RTOL * Math.abs(Number(want[i]))));
      });
    }
  });
});
