import { describe, expect, it } from 'vitest';
import { epFailureReason } from './ort-failure.js';

describe('epFailureReason', () => {
  it('strips colour codes, log prefixes and source locations, and says how to get the CUDA EP', () => {
    const raw =
      'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library\u001b[1;31m2026-11-22 04:01:42.703897664 ' +
      '[E:onnxruntime:onnxruntime-node, provider_bridge_ort.cc:2146 Create] /onnxruntime_src/onnxruntime/core/session/' +
      'provider_bridge_ort.cc:1988 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : ' +
      'FAIL : Failed to load library libonnxruntime_providers_shared.so\n\u001b[m';
    expect(epFailureReason('cuda', new Error(raw))).toBe(
      'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library [ONNXRuntimeError] : 1 : FAIL : ' +
        'Failed to load library libonnxruntime_providers_shared.so' +
        " (the CUDA EP's libraries are not installed: `npm run setup:cuda` on a CUDA 12 machine)",
    );
  });

  it('says what to do when Dawn finds no Vulkan adapter', () => {
    const raw =
      '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::' +
      'Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == ' +
      'wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters';
    const reason = epFailureReason('webgpu', new Error(raw));
    expect(reason).toMatch(
      /^adapter_result.status == wgpu::RequestAdapterStatus::Success was false\. Failed to get a WebGPU adapter/,
    );
    expect(reason).toMatch(/scripts\/setup-gpu\.sh/);
  });

  it('keeps long reasons to one readable line', () => {
    const reason = epFailureReason('webgpu', `${'x'.repeat(1000)}\n\ny`);
    expect(reason.length).toBeLessThan(410);
    expect(reason).not.toMatch(/\n/);
  });
});
