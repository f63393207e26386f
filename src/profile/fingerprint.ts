import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { arch, availableParallelism, cpus, platform, release } from 'node:os';
import type { HardwareFingerprint } from '../cost/index.js';
import type { GpuInfo } from './ep-detect.js';
import { vulkanDriver } from './vulkan-env.js';

/** This machine's identity for profiles: CPU, core count, OS, onnxruntime, and the GPU in use. */
export function hardwareFingerprint(gpu: GpuInfo): HardwareFingerprint {
  const version = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string })
    .version;
  return {
    cpuModel: (cpus()[0]?.model ?? 'unknown cpu').replace(/\s+/g, ' ').trim(),
    cpuCores: availableParallelism(),
    arch: arch(),
    os: `${platform()} ${release().split('.').slice(0, 2).join('.')}`,
    onnxruntime: version,
    gpu:
      gpu.provider === 'none'
        ? null
        : {
            provider: gpu.provider,
            adapter: gpu.provider === 'webgpu' ? vulkanDriver().name : 'CUDA device',
            software: gpu.software,
          },
  };
}

/** A readable, stable name for a fingerprint: CPU model and cores, GPU, and a short hash of the rest. */
export function machineName(fingerprint: HardwareFingerprint): string {
  const slug = (text: string) =>
    text
      .toLowerCase()
      .replace(/\(r\)|\(tm\)|cpu|processor|@.*$/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40);
  const gpu = fingerprint.gpu ? `-${fingerprint.gpu.provider}-${slug(fingerprint.gpu.adapter)}` : '';
  const hash = createHash('sha256').update(JSON.stringify(fingerprint)).digest('hex').slice(0, 8);
  return `${slug(fingerprint.cpuModel)}-${fingerprint.cpuCores}c${gpu}-${hash}`;
}
