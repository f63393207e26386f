import { describe, expect, it } from 'vitest';
import { SWIFTSHADER_ICD, type VulkanHost, vulkanDriver, vulkanEnvironment } from './vulkan-env.js';

/** A machine with the given environment, files and folder listings. */
function host(
  env: Record<string, string>,
  files: readonly string[],
  dirs: Readonly<Record<string, readonly string[]>> = {},
): VulkanHost {
  return { env, exists: (path) => files.includes(path), list: (dir) => dirs[dir] ?? [] };
}

const SWIFTSHADER = { VK_DRIVER_FILES: SWIFTSHADER_ICD, VK_ICD_FILENAMES: SWIFTSHADER_ICD };

describe('vulkanEnvironment', () => {
  it('points the loader at SwiftShader when it is installed and nothing else is', () => {
    expect(vulkanEnvironment(host({}, [SWIFTSHADER_ICD]))).toEqual(SWIFTSHADER);
  });

  it('also when the only system driver is a software one (lavapipe is too old for Dawn on bookworm)', () => {
    const machine = host({}, [SWIFTSHADER_ICD], { '/usr/share/vulkan/icd.d': ['lvp_icd.x86_64.json'] });
    expect(vulkanEnvironment(machine)).toEqual(SWIFTSHADER);
  });

  it('sets nothing where a driver is already chosen', () => {
    expect(vulkanEnvironment(host({ VK_DRIVER_FILES: '/x/icd.json' }, [SWIFTSHADER_ICD]))).toEqual({});
    expect(vulkanEnvironment(host({ VK_ICD_FILENAMES: '/x/icd.json' }, [SWIFTSHADER_ICD]))).toEqual({});
  });

  it('sets nothing where SwiftShader is not installed', () => {
    expect(vulkanEnvironment(host({}, []))).toEqual({});
  });

  it('sets nothing where a hardware driver is installed, which the variable would hide', () => {
    const nvidia = host({}, [SWIFTSHADER_ICD], { '/usr/share/vulkan/icd.d': ['nvidia_icd.json'] });
    expect(vulkanEnvironment(nvidia)).toEqual({});
    const mesa = host({}, [SWIFTSHADER_ICD], {
      '/etc/vulkan/icd.d': ['radeon_icd.x86_64.json', 'lvp_icd.x86_64.json'],
    });
    expect(vulkanEnvironment(mesa)).toEqual({});
  });
});

describe('vulkanDriver', () => {
  it('names software drivers from the variables', () => {
    expect(vulkanDriver(host(SWIFTSHADER, []))).toEqual({ name: 'SwiftShader', software: true });
    expect(
      vulkanDriver(host({ VK_ICD_FILENAMES: '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json' }, [])),
    ).toEqual({
      name: 'lavapipe',
      software: true,
    });
  });

  it('takes another named driver as hardware where GPU device nodes exist', () => {
    const machine = host({ VK_DRIVER_FILES: '/usr/share/vulkan/icd.d/nvidia_icd.json' }, [], {
      '/dev': ['nvidia0', 'nvidiactl'],
    });
    expect(vulkanDriver(machine)).toEqual({ name: 'nvidia_icd.json', software: false });
  });

  it('falls back to the device nodes when no variable names a driver', () => {
    expect(vulkanDriver(host({}, [], { '/dev/dri': ['card0', 'renderD128'] }))).toEqual({
      name: 'system driver',
      software: false,
    });
    expect(vulkanDriver(host({}, [], { '/dev': ['dxg'] })).software).toBe(false);
    expect(vulkanDriver(host({}, [], { '/dev/dri': ['card0'] }))).toEqual({
      name: 'system driver, no GPU device nodes',
      software: true,
    });
  });
});
