import { Rng } from '../common/index.js';
import type { SynthModel } from './synth-spec.js';
import { elementCount } from './synth-writer.js';

/** Deterministic input feeds for a synth model (seeded), values uniform in [-1, 1). */
export function synthInputs(model: SynthModel, seed: number): Map<string, Float32Array> {
  const rng = new Rng(seed);
  const feeds = new Map<string, Float32Array>();
  for (const input of model.inputs) {
    const data = new Float32Array(elementCount(input.dims));
    for (let i = 0; i < data.length; i++) data[i] = rng.range(-1, 1);
    feeds.set(input.name, data);
  }
  return feeds;
}
