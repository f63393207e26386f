import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { isMainThread } from 'node:worker_threads';

/** The SwiftShader ICD manifest Debian's `chromium-common` ships (see scripts/setup-gpu.sh). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Where the Vulkan loader looks for driver manifests when no variable overrides the search. */
const SYSTEM_ICD_DIRS = ['/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/share/vulkan/icd.d'];

/** Driver manifests and library names of CPU-only Vulkan implementations. */
const SOFTWARE_DRIVER = /swiftshader|lvp|lavapipe|llvmpipe/i;

/**
 * What the Vulkan helpers read from the machine; tests pass a fake one. `env` is the process
 * environment, `list` a folder's entry names ([] where it cannot be read).
 */
export interface VulkanHost {
  readonly env: Readonly<Record<string, string | undefined>>;
  exists(path: string): boolean;
  list(dir: string): readonly string[];
}

/** The machine this process runs on. */
export const systemVulkanHost: VulkanHost = {
  env: process.env,
  exists: existsSync,
  list(dir) {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
};

/** Which Vulkan driver the WebGPU EP (Dawn) will get, as far as can be told without loading it. */
export interface VulkanDriver {
  /** E.g. 'SwiftShader', 'lavapipe', 'nvidia_icd.json', 'system driver'. */
  readonly name: string;
  /** True for a CPU implementation: its timings say nothing about a GPU. */
  readonly software: boolean;
}

/**
 * The environment variables that point the Vulkan loader at SwiftShader, or `{}` where they are not
 * wanted: a driver is already chosen (`VK_DRIVER_FILES`/`VK_ICD_FILENAMES` set), SwiftShader is not
 * installed, or a hardware driver's manifest is installed (the variables replace the loader's search,
 * so they would hide a real GPU). Both names are given: loaders before 1.3.207 read only the old one.
 */
export function vulkanEnvironment(host: VulkanHost = systemVulkanHost): Record<string, string> {
  if (driverFiles(host.env) !== undefined || !host.exists(SWIFTSHADER_ICD)) return {};
  const hardware = SYSTEM_ICD_DIRS.flatMap((dir) => host.list(dir)).some(
    (file) => file.endsWith('.json') && !SOFTWARE_DRIVER.test(file),
  );
  if (hardware) return {};
  return { VK_DRIVER_FILES: SWIFTSHADER_ICD, VK_ICD_FILENAMES: SWIFTSHADER_ICD };
}

/**
 * Sets {@link vulkanEnvironment}'s variables in this process and returns what it set. Must run on
 * the main thread before the first WebGPU session anywhere in the process. Measured with
 * onnxruntime-node 1.30: the loader reads the C environment, which only the main thread's
 * `process.env` writes change (a worker's `env` option or its own `process.env` do not reach it),
 * and once Dawn has failed to find an adapter, later sessions in the process fail too even after
 * the variable is set. Off the main thread it sets nothing and returns `{}`.
 */
export function applyVulkanEnvironment(host: VulkanHost = systemVulkanHost): Record<string, string> {
  if (!isMainThread) return {};
  const wanted = vulkanEnvironment(host);
  Object.assign(process.env, wanted);
  return wanted;
}

/** The Vulkan driver named by the environment, or guessed from the GPU device nodes present. */
export function vulkanDriver(host: VulkanHost = systemVulkanHost): VulkanDriver {
  const files = driverFiles(host.env);
  const devices = hasGpuDevice(host);
  if (files !== undefined) {
    if (/swiftshader/i.test(files)) return { name: 'SwiftShader', software: true };
    if (SOFTWARE_DRIVER.test(files)) return { name: 'lavapipe', software: true };
    return {
      name: files
        .split(':')
        .map((file) => basename(file))
        .join(', '),
      software: !devices,
    };
  }
  return devices
    ? { name: 'system driver', software: false }
    : { name: 'system driver, no GPU device nodes', software: true };
}

function driverFiles(env: VulkanHost['env']): string | undefined {
  const files = env.VK_DRIVER_FILES || env.VK_ICD_FILENAMES;
  return files ? files : undefined;
}

/** DRM render nodes (Mesa, AMD, Intel, NVIDIA open), NVIDIA's own nodes, WSL's /dev/dxg. */
function hasGpuDevice(host: VulkanHost): boolean {
  return (
    host.list('/dev/dri').some((name) => name.startsWith('renderD')) ||
    host.list('/dev').some((name) => /^nvidia\d+$/.test(name) || name === 'dxg')
  );
}
