import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Whether onnxruntime-node's CUDA execution provider library is on disk. It is not bundled (its
 * install script downloads it from NuGet, opt-in: `npm run setup:cuda`); without it, asking
 * onnxruntime for 'cuda' only makes its native logger print a load failure.
 */
export function cudaProviderInstalled(): boolean {
  try {
    const root = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    return existsSync(
      join(root, 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime_providers_cuda.so'),
    );
  } catch {
    return false;
  }
}

export const CUDA_NOT_INSTALLED =
  "onnxruntime-node's CUDA execution provider is not installed (on a CUDA 12 host that can reach NuGet: npm run setup:cuda)";
