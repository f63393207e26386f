import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { CUDA_NOT_INSTALLED } from './cuda-install.js';
import { detectGpu, type GpuPreference } from './ep-detect.js';
import { vulkanDriver } from './vulkan-env.js';

// Detection itself decides whether the GPU tests can run here; say why where they cannot.
const webgpu = await detectGpu({ preferred: 'webgpu' });
const noWebGpu = webgpu.provider === 'none' ? `no webgpu EP here: ${webgpu.detail}` : undefined;
if (noWebGpu && process.env.HETSCHED_REQUIRE_GPU)
  throw new Error(`HETSCHED_REQUIRE_GPU is set but ${noWebGpu}`);
if (noWebGpu) console.warn(`skipping webgpu detection tests: ${noWebGpu}`);

describe('detectGpu', () => {
  it.skipIf(noWebGpu !== undefined)(
    `finds the webgpu EP and tells a software Vulkan driver from a GPU${noWebGpu ? ` (skipped: ${noWebGpu})` : ''}`,
    () => {
      console.log(`detectGpu({ preferred: 'webgpu' }): ${webgpu.detail}`);
      expect(webgpu.provider).toBe('webgpu');
      expect(webgpu.failures).toEqual([]);
      const driver = vulkanDriver();
      expect(webgpu.software).toBe(driver.software);
      expect(webgpu.detail).toContain(`webgpu EP via Vulkan (${driver.name}`);
      if (driver.name === 'SwiftShader') {
        expect(webgpu.software).toBe(true);
        expect(webgpu.detail).toBe("webgpu EP via Vulkan (SwiftShader, software: timings are not a GPU's)");
      }
    },
  );

  it.skipIf(noWebGpu !== undefined)(
    'auto tries cuda first and falls back, keeping cuda’s failure',
    async () => {
      const auto = await detectGpu();
      console.log(`detectGpu(): ${auto.detail}`);
      if (auto.provider === 'cuda') {
        expect(auto.failures).toEqual([]);
      } else {
        expect(auto.provider).toBe('webgpu');
        expect(auto.failures).toHaveLength(1);
        expect(auto.failures[0]).toMatch(/^cuda: /);
        expect(auto.detail).toMatch(/\(cuda unavailable\)$/);
      }
    },
  );

  it("returns none without trying anything for 'none'", async () => {
    expect(await detectGpu({ preferred: 'none' })).toEqual({
      provider: 'none',
      software: false,
      detail: 'GPU disabled (preferred: none): every operator runs on the CPU worker pools',
      failures: [],
    });
  });

  it("reports cuda's failure in failures and the detail where its libraries are missing", async () => {
    const cuda = await detectGpu({ preferred: 'cuda' });
    console.log(`detectGpu({ preferred: 'cuda' }): ${cuda.detail}`);
    if (cuda.provider === 'cuda') return; // a machine with the CUDA EP installed
    expect(cuda.provider).toBe('none');
    expect(cuda.software).toBe(false);
    expect(cuda.failures).toHaveLength(1);
    // Its library is not on disk, so onnxruntime is not even asked (no native error in the logs).
    expect(cuda.failures[0]).toBe(`cuda: ${CUDA_NOT_INSTALLED}`);
    expect(cuda.detail).toBe(
      `no GPU execution provider, every operator runs on the CPU worker pools; ${cuda.failures[0]}`,
    );
  });

  it('rejects options it cannot honour, naming them', async () => {
    await expect(detectGpu({ preferred: 'tpu' as GpuPreference })).rejects.toThrow(
      new HetschedError(
        Code.InvalidArgument,
        "preferred GPU must be one of auto, cuda, webgpu, none; got 'tpu'",
      ),
    );
    await expect(detectGpu({ timeoutMs: 0 })).rejects.toThrow(
      /timeoutMs must be a positive number of ms; got 0/,
    );
  });

  it('gives up with DEADLINE_EXCEEDED rather than hang', async () => {
    const error = await detectGpu({ preferred: 'webgpu', timeoutMs: 1 }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(HetschedError);
    expect((error as HetschedError).code).toBe(Code.DeadlineExceeded);
    expect((error as HetschedError).message).toBe('the GPU detect task did not finish within 1 ms');
  });
});
