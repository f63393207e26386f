import fc from 'fast-check';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, type NodeProto, toNumber } from '../onnx/index.js';
import { type SynthKind, type SynthModel, synthInputs, synthModel } from './index.js';

const KINDS: readonly SynthKind[] = ['chain', 'branches', 'residual', 'attention', 'mixed'];
const SIZES = [3, 20, 300, 3000] as const;

/**
 * Loads the model in onnxruntime's CPU EP, runs it on seeded inputs and returns its outputs by name.
 * `optimize: false` runs the graph as written, without onnxruntime's fusions.
 */
async function run(model: SynthModel, seed = 1, optimize = true): Promise<Map<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(model.bytes, {
    graphOptimizationLevel: optimize ? 'all' : 'disabled',
  });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const input of model.inputs) {
      const data = synthInputs(model, seed).get(input.name);
      if (data === undefined) throw new Error(`no feed for '${input.name}'`);
      feeds[input.name] = new ort.Tensor('float32', data, input.dims);
    }
    return new Map(Object.entries(await session.run(feeds)));
  } finally {
    await session.release();
  }
}

/** Largest absolute difference between the `output` tensors of two runs. */
function maxDifference(a: Map<string, ort.Tensor>, b: Map<string, ort.Tensor>): number {
  const x = (a.get('output')?.data ?? []) as Float32Array;
  const y = (b.get('output')?.data ?? []) as Float32Array;
  expect(x.length).toBe(y.length);
  let difference = 0;
  for (const [i, value] of x.entries())
    difference = Math.max(difference, Math.abs(value - (y[i] ?? Number.NaN)));
  return difference;
}

/** Runs the model and checks every declared output: its shape, and values finite and O(1). */
async function expectRunsWithBoundedOutputs(model: SynthModel): Promise<Map<string, ort.Tensor>> {
  const outputs = await run(model);
  expect([...outputs.keys()]).toEqual(model.outputs.map((output) => output.name));
  for (const declared of model.outputs) {
    const tensor = outputs.get(declared.name);
    expect(tensor?.dims).toEqual(declared.dims);
    const values = (tensor?.data ?? []) as Float32Array;
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) {
      if (!Number.isFinite(value) || Math.abs(value) >= 1e3) {
        throw new Error(`output '${declared.name}' holds ${value}`);
      }
    }
  }
  return outputs;
}

function withinTolerance(count: number, target: number): boolean {
  return Math.abs(count - target) <= Math.max(3, 0.1 * target);
}

function graphOf(model: SynthModel) {
  const graph = decodeModel(model.bytes).graph;
  if (!graph) throw new Error('no graph');
  return graph;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

/** Node outputs that another node reads (graph inputs and initializers are not node outputs). */
function consumers(nodes: readonly NodeProto[]): Map<string, number> {
  const produced = new Set(nodes.flatMap((node) => node.output ?? []));
  const counts = new Map<string, number>();
  for (const input of nodes.flatMap((node) => node.input ?? [])) {
    if (produced.has(input)) counts.set(input, (counts.get(input) ?? 0) + 1);
  }
  return counts;
}

describe.each(KINDS)('synthModel %s', (kind) => {
  it.each(SIZES)(
    '%i operators: loads and runs in the CPU EP with the declared output shape',
    async (operators) => {
      const model = synthModel({ kind, operators, seed: 11 });
      expect(withinTolerance(model.nodeCount, operators)).toBe(true);
      expect(model.nodeCount).toBe(operators);
      expect(graphOf(model).node?.length).toBe(model.nodeCount);
      const outputs = await expectRunsWithBoundedOutputs(model);
      if (operators >= 300) {
        // What parity tests rely on: deep models do not amplify rounding differences, here those
        // between onnxruntime's fused graph and the graph as written.
        expect(maxDifference(outputs, await run(model, 1, false))).toBeLessThan(1e-4);
      }
    },
  );

  it('gives outputs that depend on the inputs', async () => {
    const model = synthModel({ kind, operators: 100, seed: 2 });
    expect(maxDifference(await run(model, 1), await run(model, 2))).toBeGreaterThan(1e-2);
  });

  it('names every node uniquely and declares the type and shape of every intermediate tensor', () => {
    const model = synthModel({ kind, operators: 120, seed: 5, width: 32, batch: 2 });
    const graph = graphOf(model);
    const nodes = graph.node ?? [];
    const names = nodes.map((node) => node.name ?? '');
    expect(names.every((name) => name.length > 0)).toBe(true);
    expect(new Set(names).size).toBe(names.length);

    const declared = new Map((graph.valueInfo ?? []).map((info) => [info.name ?? '', info]));
    const intermediates = nodes.flatMap((node) => node.output ?? []).filter((name) => name !== 'output');
    expect(new Set(declared.keys())).toEqual(new Set(intermediates));
    for (const info of declared.values()) {
      const tensorType = info.type?.tensorType;
      expect(tensorType?.elemType).toBe(1);
      const dims = (tensorType?.shape?.dim ?? []).map((dim) => toNumber(dim.dimValue));
      expect(dims.length).toBeGreaterThan(0);
      expect(dims.every((dim) => dim > 0)).toBe(true);
    }
    const model17 = decodeModel(model.bytes);
    expect(model17.opsetImport.map((opset) => toNumber(opset.version))).toEqual([17]);
  });

  it('declares intermediate shapes that onnxruntime agrees with', async () => {
    // Exposing every intermediate as a graph output makes onnxruntime check the declared shapes
    // against what it computes.
    const model = synthModel({ kind, operators: 80, seed: 3, width: 24, batch: 2 });
    const decoded = decodeModel(model.bytes);
    const graph = decoded.graph;
    if (!graph) throw new Error('no graph');
    graph.output = [...(graph.output ?? []), ...(graph.valueInfo ?? [])];
    const session = await ort.InferenceSession.create(encodeModel(decoded));
    try {
      const feeds: Record<string, ort.Tensor> = {};
      for (const [name, data] of synthInputs(model, 2)) {
        feeds[name] = new ort.Tensor('float32', data, model.inputs[0]?.dims ?? []);
      }
      const outputs = await session.run(feeds);
      for (const info of graph.valueInfo ?? []) {
        const dims = (info.type?.tensorType?.shape?.dim ?? []).map((dim) => toNumber(dim.dimValue));
        expect(outputs[info.name ?? '']?.dims, info.name ?? '').toEqual(dims);
      }
    } finally {
      await session.release();
    }
  });

  it('gives identical bytes for the same spec and different bytes for another seed', () => {
    const spec = { kind, operators: 150, seed: 42 };
    const first = synthModel(spec);
    expect(sameBytes(first.bytes, synthModel({ ...spec }).bytes)).toBe(true);
    expect(sameBytes(first.bytes, synthModel({ ...spec, seed: 43 }).bytes)).toBe(false);
  });
});

describe('graph shapes', () => {
  it('chain: every node consumes the previous node output', () => {
    const nodes = graphOf(synthModel({ kind: 'chain', operators: 200, seed: 9 })).node ?? [];
    for (const [index, node] of nodes.entries()) {
      const previous = index === 0 ? 'input' : nodes[index - 1]?.output?.[0];
      expect(node.input?.[0], node.name ?? '').toBe(previous);
    }
    const ops = new Set(nodes.map((node) => node.opType));
    for (const op of ['MatMul', 'Add', 'Relu', 'Tanh', 'Sigmoid', 'LayerNormalization', 'Mul']) {
      expect(ops.has(op), op).toBe(true);
    }
  });

  it('branches: tensors fan out to several consumers and are joined again', () => {
    const nodes = graphOf(synthModel({ kind: 'branches', operators: 300, seed: 4 })).node ?? [];
    const fanOuts = [...consumers(nodes).values()].filter((count) => count >= 2);
    expect(fanOuts.length).toBeGreaterThan(5);
    expect(nodes.some((node) => node.opType === 'Concat' || node.name?.includes('/join/'))).toBe(true);
  });

  it('residual: blocks add their input back before a LayerNormalization', () => {
    const nodes = graphOf(synthModel({ kind: 'residual', operators: 300, seed: 4 })).node ?? [];
    const skipAdds = nodes.filter((node) => node.opType === 'Add' && node.name?.endsWith('/add/Add'));
    expect(skipAdds.length).toBeGreaterThan(30);
    const produced = new Map(nodes.map((node) => [node.output?.[0], node]));
    for (const add of skipAdds) {
      const [skip] = add.input ?? [];
      const source = produced.get(skip);
      // The skip input is the block input: the graph input or the previous block's norm.
      expect(skip === 'input' || source?.opType === 'LayerNormalization').toBe(true);
    }
  });

  it('attention: Q/K/V projections, Softmax over scaled scores, residuals, norms and an MLP', () => {
    const model = synthModel({ kind: 'attention', operators: 300, seed: 4, batch: 2 });
    expect(model.inputs[0]?.dims).toEqual([2, 8, 64]);
    const nodes = graphOf(model).node ?? [];
    const count = (op: string) => nodes.filter((node) => node.opType === op).length;
    expect(count('Softmax')).toBeGreaterThanOrEqual(9);
    expect(count('Transpose')).toBeGreaterThanOrEqual(9);
    expect(count('LayerNormalization')).toBeGreaterThanOrEqual(9);
    for (const part of [
      '/q_proj/',
      '/k_proj/',
      '/v_proj/',
      '/scores/',
      '/scale/',
      '/context/',
      '/residual1/',
    ]) {
      expect(
        nodes.some((node) => node.name?.includes(part)),
        part,
      ).toBe(true);
    }
    expect(nodes.some((node) => node.name?.includes('/mlp/'))).toBe(true);
  });

  it('mixed: draws stages of several kinds', () => {
    const nodes = graphOf(synthModel({ kind: 'mixed', operators: 400, seed: 4 })).node ?? [];
    const stageKinds = new Set(nodes.map((node) => node.name?.split('/')[2]));
    expect(stageKinds.size).toBeGreaterThanOrEqual(3);
  });

  it('keeps the spec defaults and the input and output signature in the result', () => {
    const model = synthModel({ kind: 'residual', operators: 10, seed: 1 });
    expect(model.spec).toEqual({ kind: 'residual', operators: 10, width: 64, batch: 1, seed: 1 });
    expect(model.inputs).toEqual([{ name: 'input', dtype: 'float32', dims: [1, 64] }]);
    expect(model.outputs).toEqual([{ name: 'output', dtype: 'float32', dims: [1, 64] }]);
  });

  it('rejects specs it cannot honour', () => {
    expect(() => synthModel({ kind: 'chain', operators: 0, seed: 1 })).toThrow(RangeError);
    expect(() => synthModel({ kind: 'chain', operators: 2.5, seed: 1 })).toThrow(RangeError);
    expect(() => synthModel({ kind: 'chain', operators: 5, width: 0, seed: 1 })).toThrow(RangeError);
    expect(() => synthModel({ kind: 'chain', operators: 5, batch: -1, seed: 1 })).toThrow(RangeError);
    expect(() => synthModel({ kind: 'chain', operators: 5, seed: 0.5 })).toThrow(RangeError);
    expect(() => synthModel({ kind: 'tree' as SynthKind, operators: 5, seed: 1 })).toThrow(RangeError);
  });
});

describe('synthInputs', () => {
  it('is deterministic, seeded, and within [-1, 1]', () => {
    const model = synthModel({ kind: 'attention', operators: 12, seed: 1, batch: 3 });
    const feeds = synthInputs(model, 7);
    const input = feeds.get('input');
    expect(input?.length).toBe(3 * 8 * 64);
    expect(input?.every((value) => value >= -1 && value <= 1)).toBe(true);
    expect(synthInputs(model, 7).get('input')).toEqual(input);
    expect(synthInputs(model, 8).get('input')).not.toEqual(input);
  });
});

describe('synthModel property', () => {
  it('gives a valid model that runs, with the target node count, for any kind, size and seed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...KINDS),
        fc.integer({ min: 3, max: 400 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 96 }),
        fc.integer({ min: 1, max: 3 }),
        async (kind, operators, seed, width, batch) => {
          const model = synthModel({ kind, operators, seed, width, batch });
          expect(model.nodeCount).toBe(operators);
          await expectRunsWithBoundedOutputs(model);
        },
      ),
      { numRuns: 25, seed: 20260101 },
    );
  });
});
