import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { fingerprintSchema, type HardwareFingerprint } from '../cost/index.js';
import type { GpuInfo } from './ep-detect.js';
import { hardwareFingerprint, machineName } from './fingerprint.js';
import { vulkanDriver } from './vulkan-env.js';

const gpuInfo = (provider: GpuInfo['provider'], software = false): GpuInfo => ({
  provider,
  software,
  detail: '',
  failures: [],
});

const XEON: HardwareFingerprint = {
  cpuModel: 'Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz',
  cpuCores: 8,
  arch: 'x64',
  os: 'linux 6.1',
  onnxruntime: '1.30.0',
  gpu: null,
};

describe('hardwareFingerprint', () => {
  const ortVersion = (
    JSON.parse(
      readFileSync(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'), 'utf8'),
    ) as { version: string }
  ).version;

  it('describes this machine without a GPU', () => {
    const fingerprint = hardwareFingerprint(gpuInfo('none'));
    expect(fingerprintSchema.parse(fingerprint)).toEqual(fingerprint);
    expect(fingerprint).toMatchObject({
      cpuCores: availableParallelism(),
      arch: process.arch,
      onnxruntime: ortVersion,
      gpu: null,
    });
    expect(fingerprint.cpuModel).not.toMatch(/\s{2}|^\s|\s$/);
    // Kernel major.minor only: a patch release does not invalidate profiles.
    expect(fingerprint.os).toMatch(new RegExp(`^${process.platform} [^.]+(\\.[^.]+)?$`));
  });

  it('is the same on every call', () => {
    expect(hardwareFingerprint(gpuInfo('none'))).toEqual(hardwareFingerprint(gpuInfo('none')));
  });

  it('records the GPU provider and whether it is a software one', () => {
    expect(hardwareFingerprint(gpuInfo('cuda')).gpu).toEqual({
      provider: 'cuda',
      adapter: 'CUDA device',
      software: false,
    });
    expect(hardwareFingerprint(gpuInfo('webgpu', true)).gpu).toEqual({
      provider: 'webgpu',
      adapter: vulkanDriver().name,
      software: true,
    });
  });
});

describe('machineName', () => {
  it('is a readable slug of the CPU, its cores, and a short hash', () => {
    expect(machineName(XEON)).toMatch(/^intel-xeon-platinum-8375c-8c-[0-9a-f]{8}$/);
    expect(machineName({ ...XEON, cpuModel: 'AMD EPYC 7B13 64-Core Processor', cpuCores: 64 })).toMatch(
      /^amd-epyc-7b13-64-core-64c-[0-9a-f]{8}$/,
    );
  });

  it('names the GPU provider and adapter', () => {
    const name = machineName({
      ...XEON,
      gpu: { provider: 'webgpu', adapter: 'SwiftShader', software: true },
    });
    expect(name).toMatch(/^intel-xeon-platinum-8375c-8c-webgpu-swiftshader-[0-9a-f]{8}$/);
  });

  it('is stable, and differs wherever the fingerprint does', () => {
    expect(machineName({ ...XEON })).toBe(machineName(XEON));
    const variants: HardwareFingerprint[] = [
      { ...XEON, os: 'linux 6.2' },
      { ...XEON, onnxruntime: '1.31.0' },
      { ...XEON, arch: 'arm64' },
      { ...XEON, gpu: { provider: 'cuda', adapter: 'CUDA device', software: false } },
    ];
    const names = [XEON, ...variants].map(machineName);
    expect(new Set(names).size).toBe(names.length);
    // The readable part is the same for the first three: only the hash tells them apart.
    for (const name of names.slice(1, 4)) expect(name.slice(0, -8)).toBe(names[0]?.slice(0, -8));
  });

  it('keeps the readable part short for long CPU names', () => {
    const name = machineName({ ...XEON, cpuModel: 'x'.repeat(100) });
    expect(name).toBe(`${'x'.repeat(40)}-8c-${name.slice(-8)}`);
  });
});
