import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { DTYPES, elementCount, type TensorData } from '../tensor/index.js';
import { catalogModel, MODEL_CATALOG } from './catalog.js';
import { exampleFeeds } from './example-feeds.js';

describe('MODEL_CATALOG', () => {
  it('has unique ids, pinned package specs and well-formed hashes', () => {
    expect(new Set(MODEL_CATALOG.map((model) => model.id)).size).toBe(MODEL_CATALOG.length);
    for (const model of MODEL_CATALOG) {
      expect(model.packageSpec).toMatch(/^(@[\w-]+\/)?[\w-]+@\d+\.\d+\.\d+$/);
      expect(model.tarballPath).toMatch(/^package\/.+\.onnx$/);
      expect(model.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(model.sizeBytes).toBeGreaterThan(0);
    }
  });

  it('holds out silero-vad-v6 and openwakeword-namaste only', () => {
    const heldOut = MODEL_CATALOG.filter((model) => model.heldOut).map((model) => model.id);
    expect(heldOut).toEqual(['silero-vad-v6', 'openwakeword-namaste']);
  });

  it('gives every input typical dims that fit its declared shape and a fill that fits its dtype', () => {
    for (const model of MODEL_CATALOG) {
      for (const input of model.inputs) {
        expect(input.dims.length).toBe(input.shape.length);
        input.shape.forEach((dim, i) => {
          if (dim >= 0) expect(input.dims[i]).toBe(dim);
        });
        expect(input.dtype).toBe(input.fill === 'sample-rate' ? 'int64' : 'float32');
      }
    }
  });

  it('rejects unknown ids with NOT_FOUND, listing the known ones', () => {
    expect(() => catalogModel('resnet')).toThrow(/known: ppocr-det, ppocr-rec/);
    try {
      catalogModel('resnet');
    } catch (error) {
      expect((error as HetschedError).code).toBe(Code.NotFound);
    }
  });
});

/** The float32 elements of a feed, failing the test where the feed is missing. */
function floatsOf(tensor: TensorData | undefined): number[] {
  if (tensor?.data instanceof Float32Array) return [...tensor.data];
  throw new Error(`expected a float32 feed, got ${tensor?.dtype}`);
}

describe('exampleFeeds', () => {
  it('gives one tensor per input, of the typical dims, owning its whole buffer', () => {
    for (const model of MODEL_CATALOG) {
      const feeds = exampleFeeds(model);
      expect(Object.keys(feeds)).toEqual(model.inputs.map((input) => input.name));
      for (const input of model.inputs) {
        const tensor = feeds[input.name];
        expect(tensor?.dtype).toBe(input.dtype);
        expect(tensor?.dims).toEqual(input.dims);
        expect(tensor?.data).toBeInstanceOf(DTYPES[input.dtype].array);
        expect(tensor?.data.length).toBe(elementCount(input.dims));
        expect(tensor?.data.byteOffset).toBe(0);
        expect(tensor?.data.byteLength).toBe(tensor?.data.buffer.byteLength);
      }
    }
  });

  it('is deterministic per seed', () => {
    const first = exampleFeeds('silero-vad-v5', { seed: 7 });
    expect(exampleFeeds('silero-vad-v5', { seed: 7 })).toEqual(first);
    expect(exampleFeeds('silero-vad-v5', { seed: 8 }).input?.data).not.toEqual(first.input?.data);
    expect(exampleFeeds('silero-vad-v5').input?.data).toEqual(
      exampleFeeds('silero-vad-v5', { seed: 0 }).input?.data,
    );
  });

  it('fills images in [0, 1), audio in [-1, 1), embeddings around 0, state with zeros and sr with 16000', () => {
    const image = floatsOf(exampleFeeds('ppocr-cls', { seed: 1 }).x);
    expect(Math.min(...image)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...image)).toBeLessThan(1);
    expect(Math.max(...image)).toBeGreaterThan(0.99);

    const vad = exampleFeeds('silero-vad-legacy', { seed: 2 });
    const audio = floatsOf(vad.input);
    expect(Math.min(...audio)).toBeGreaterThanOrEqual(-1);
    expect(Math.min(...audio)).toBeLessThan(-0.95);
    expect(Math.max(...audio)).toBeLessThan(1);
    expect(floatsOf(vad.h).every((value) => value === 0)).toBe(true);
    expect(floatsOf(vad.c).every((value) => value === 0)).toBe(true);
    expect(vad.sr).toEqual({ dtype: 'int64', dims: [], data: BigInt64Array.of(16000n) });

    const embedding = floatsOf(exampleFeeds('openwakeword', { seed: 3 })['onnx::Flatten_0']);
    const mean = embedding.reduce((sum, value) => sum + value, 0) / embedding.length;
    const variance = embedding.reduce((sum, value) => sum + (value - mean) ** 2, 0) / embedding.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(variance).toBeGreaterThan(0.8);
    expect(variance).toBeLessThan(1.2);
  });

  it('takes dims overrides without changing the other inputs', () => {
    const quick = exampleFeeds('ppocr-det', { dims: { x: [1, 3, 96, 96] } });
    expect(quick.x?.dims).toEqual([1, 3, 96, 96]);
    expect(quick.x?.data.length).toBe(3 * 96 * 96);

    const typical = exampleFeeds('silero-vad-v5', { seed: 4 });
    const longer = exampleFeeds('silero-vad-v5', { seed: 4, dims: { input: [1, 1024] } });
    expect(longer.input?.dims).toEqual([1, 1024]);
    expect(longer.state).toEqual(typical.state);
    expect(longer.sr).toEqual(typical.sr);
  });

  it('rejects overrides that do not fit the declared shape or name no input', () => {
    const cases: Array<[string, Record<string, number[]>, RegExp]> = [
      ['ppocr-det', { x: [1, 4, 96, 96] }, /declared \[\?,3,\?,\?\]/],
      ['ppocr-det', { x: [3, 96, 96] }, /do not fit input 'x'/],
      ['ppocr-det', { x: [1, 3, 0, 96] }, /do not fit/],
      ['ppocr-det', { x: [1, 3, 9.5, 96] }, /do not fit/],
      ['openwakeword', { 'onnx::Flatten_0': [1, 24, 96] }, /declared \[1,25,96\]/],
      ['ppocr-rec', { image: [1, 3, 48, 320] }, /has no input 'image'; its inputs: x/],
    ];
    for (const [id, dims, message] of cases) {
      expect(() => exampleFeeds(id, { dims })).toThrow(message);
      try {
        exampleFeeds(id, { dims });
      } catch (error) {
        expect(error).toBeInstanceOf(HetschedError);
        expect((error as HetschedError).code).toBe(Code.InvalidArgument);
      }
    }
  });
});
