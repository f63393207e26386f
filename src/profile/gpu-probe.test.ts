import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { exampleFeeds, modelPath } from '../models/index.js';
import { decodeModel } from '../onnx/index.js';
import { synthInputs, synthModel } from '../synth/index.js';
import type { TensorData } from '../tensor/index.js';
import { detectGpu } from './ep-detect.js';
import { probeGpuOperators } from './gpu-probe.js';
import type { GpuProvider } from './gpu-provider.js';
import { type ProbeResult, summarizeProbe } from './probe-result.js';
import { vulkanDriver } from './vulkan-env.js';

const gpu = await detectGpu();
const noGpu = gpu.provider === 'none' ? `no GPU EP here: ${gpu.detail}` : undefined;
if (noGpu && process.env.HETSCHED_REQUIRE_GPU) throw new Error(`HETSCHED_REQUIRE_GPU is set but ${noGpu}`);
if (noGpu) console.warn(`skipping GPU probe tests: ${noGpu}`);
const provider: GpuProvider = gpu.provider === 'none' ? 'webgpu' : gpu.provider;
const skipped = noGpu ? ` (skipped: ${noGpu})` : '';
/** Silero v5's inaccuracy was measured on SwiftShader; whether a real GPU shows it is not known. */
const onSwiftShader = provider === 'webgpu' && vulkanDriver().name === 'SwiftShader';

async function probe(id: string, feeds: Record<string, TensorData>): Promise<ProbeResult> {
  const result = await probeGpuOperators(readFileSync(modelPath(id)), feeds, { provider });
  const s = summarizeProbe(result);
  const fellBack = s.cpuOpTypes.map(([op, n]) => `${op} x${n}`).join(', ') || 'none';
  const inaccurate =
    s.inaccurate
      .map(
        (n) =>
          `#${n.index} ${n.opType} abs ${n.maxAbsDiff.toPrecision(3)} rel ${n.maxRelDiff.toPrecision(3)}`,
      )
      .join('; ') || 'none';
  console.log(
    `${id} on ${provider}: ${result.nodes.length} nodes, ${s.gpu} gpu, ${s.cpu} cpu, ${s.none} no kernel; ` +
      `fell back: ${fellBack}; inaccurate: ${inaccurate}; ${result.timing.totalSeconds.toFixed(1)} s ` +
      `(GPU run ${result.timing.gpuRunSeconds.toFixed(1)} s)`,
  );
  return result;
}

/** Every main-graph node has exactly one verdict, by index; only Constants ran no kernel. */
function expectAVerdictPerNode(id: string, result: ProbeResult): void {
  const graphNodes = decodeModel(readFileSync(modelPath(id))).graph?.node ?? [];
  expect(result.nodes.map((n) => n.index)).toEqual(graphNodes.map((_, i) => i));
  expect(result.nodes.map((n) => n.opType)).toEqual(graphNodes.map((n) => n.opType));
  for (const verdict of result.nodes) {
    expect(verdict.provider === 'none').toBe(verdict.opType === 'Constant');
  }
}

describe('probeGpuOperators', () => {
  it.skipIf(noGpu !== undefined)(`finds Silero VAD v5's If inaccurate on the GPU${skipped}`, async () => {
    const result = await probe('silero-vad-v5', exampleFeeds('silero-vad-v5'));
    expect(result.nodes.map((n) => n.opType)).toEqual(['Constant', 'Equal', 'If', 'Identity', 'Identity']);
    const ifNode = result.nodes[2];
    expect(ifNode?.provider).toBe('gpu');
    expect(ifNode?.gpuKernels).toBeGreaterThan(0);
    console.log(`silero-vad-v5 If: ${JSON.stringify(ifNode?.outputs)}`);
    if (onSwiftShader) {
      // The STFT-as-Conv inside the If. Measured with these feeds: the speech probability (the If's
      // first output) 0.008 off a CPU value near 0.008, the state (second) up to 2.0 off.
      expect(ifNode?.accurate).toBe(false);
      expect(ifNode?.outputs.map((o) => o.accurate)).toEqual([false, false]);
      expect(ifNode?.maxAbsDiff).toBeGreaterThan(0.1);
    }
    expect(result.nodes.filter((n) => n.index !== 2).every((n) => n.accurate)).toBe(true);
  });

  it.skipIf(noGpu !== undefined)(`finds every openWakeWord node accurate${skipped}`, async () => {
    const result = await probe('openwakeword', exampleFeeds('openwakeword'));
    expectAVerdictPerNode('openwakeword', result);
    expect(result.nodes.filter((n) => !n.accurate)).toEqual([]);
  });

  it.skipIf(noGpu !== undefined)(`gives every PP-OCR cls node a verdict, by index${skipped}`, async () => {
    const result = await probe('ppocr-cls', exampleFeeds('ppocr-cls'));
    expectAVerdictPerNode('ppocr-cls', result);
    // Half its nodes have no name: the index is what identifies them.
    expect(result.nodes.filter((n) => n.name === '').length).toBeGreaterThan(200);
    const summary = summarizeProbe(result);
    expect(summary.gpu).toBeGreaterThan(summary.cpu);
    expect(summary.inaccurate).toEqual([]);
  });

  it.skipIf(noGpu !== undefined)(
    `gives every PP-OCR det node (96x96) a verdict${skipped}`,
    async () => {
      const result = await probe('ppocr-det', exampleFeeds('ppocr-det', { dims: { x: [1, 3, 96, 96] } }));
      expectAVerdictPerNode('ppocr-det', result);
      expect(summarizeProbe(result).gpu).toBeGreaterThan(0);
    },
    180_000,
  );

  it.skipIf(noGpu !== undefined)(
    `finds a synthetic model all on the GPU and accurate${skipped}`,
    async () => {
      const model = synthModel({ kind: 'mixed', operators: 24, seed: 3 });
      const feeds: Record<string, TensorData> = {};
      for (const [name, data] of synthInputs(model, 1)) {
        feeds[name] = {
          dtype: 'float32',
          dims: model.inputs.find((input) => input.name === name)?.dims ?? [],
          // A copy over a plain ArrayBuffer, which TensorData requires.
          data: new Float32Array(data),
        };
      }
      const result = await probeGpuOperators(model.bytes, feeds, { provider });
      expect(result.nodes).toHaveLength(24);
      expect(result.nodes.filter((n) => n.provider !== 'gpu' || !n.accurate)).toEqual([]);
      expect(Math.max(...result.nodes.map((n) => n.maxAbsDiff))).toBeLessThan(1e-5);
    },
  );

  it('rejects options it cannot honour, naming them', async () => {
    const bytes = new Uint8Array();
    await expect(probeGpuOperators(bytes, {}, { provider: 'cpu' as GpuProvider })).rejects.toThrow(
      new HetschedError(Code.InvalidArgument, "provider must be one of webgpu, cuda; got 'cpu'"),
    );
    await expect(probeGpuOperators(bytes, {}, { provider, atol: -1 })).rejects.toThrow(
      /atol must be a finite number >= 0; got -1/,
    );
    await expect(probeGpuOperators(bytes, {}, { provider, rtol: Number.NaN })).rejects.toThrow(
      /rtol must be/,
    );
  });

  it('rejects with INVALID_ARGUMENT feeds the model cannot run on', async () => {
    const error = await probeGpuOperators(readFileSync(modelPath('openwakeword')), {}, { provider }).catch(
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(HetschedError);
    expect((error as HetschedError).code).toBe(Code.InvalidArgument);
    expect((error as HetschedError).message).toMatch(/^the CPU EP cannot run the model on these feeds: /);
  });

  it('passes the worker’s INVALID_ARGUMENT on for bytes that are not a model', async () => {
    const error = await probeGpuOperators(Uint8Array.of(1, 2, 3), {}, { provider }).catch(
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(HetschedError);
    expect((error as HetschedError).code).toBe(Code.InvalidArgument);
  });
});
