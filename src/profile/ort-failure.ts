import type { GpuProvider } from './gpu-provider.js';

/** The longest reason kept per EP: onnxruntime's messages can carry whole log lines. */
const MAX_REASON_CHARS = 400;

/**
 * Why an EP could not be used, in one line a person can act on: onnxruntime's error text without
 * terminal colour codes, its log-line prefixes and C++ source locations, followed by a hint for the
 * two failures every machine without the EP shows.
 */
export function epFailureReason(provider: GpuProvider, error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const reason = raw
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are what is removed
    .replace(/\u001b\[[0-9;]*m/g, ' ')
    .replace(/\[?1;31m|\[m/g, ' ')
    // "2026-01-01 00:00:00.000 [E:onnxruntime:onnxruntime-node, file.cc:12 Fn] " log prefixes
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \[[A-Z]:onnxruntime:[^\]]*\]/g, ' ')
    // "/onnxruntime_src/path/file.cc:136 ret onnxruntime::Fn(args)::<lambda()> " source locations
    .replace(/\/onnxruntime_src\/\S+:\d+ (?:[^ ]+ )?[\w:~<>]+\([^)]*\)(?:::<lambda\(\)>)? ?/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const short = reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}…` : reason;
  return `${short}${hint(provider, reason)}`;
}

function hint(provider: GpuProvider, reason: string): string {
  if (provider === 'cuda' && /providers_(shared|cuda)|Failed to load/i.test(reason)) {
    return " (the CUDA EP's libraries are not installed: `npm run setup:cuda` on a CUDA 12 machine)";
  }
  if (provider === 'webgpu' && /WebGPU adapter/i.test(reason)) {
    return (
      ' (no usable Vulkan driver: install the GPU’s Vulkan driver, or run scripts/setup-gpu.sh for the ' +
      'SwiftShader software one, and set VK_DRIVER_FILES before the process’s first WebGPU session)'
    );
  }
  return '';
}
