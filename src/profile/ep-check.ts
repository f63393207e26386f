import { modelBytes, node, valueInfo } from '../onnx/index.js';
import { type GpuProvider, ORT_PROVIDER_NAMES } from './gpu-provider.js';
import type { KernelEvent } from './ort-trace.js';

/** Name of the one node of the check model, to find it in the profile. */
export const EP_CHECK_NODE = 'hetsched_ep_check';

/** Input of the check: negative, zero, signed zero, fractions, so that Relu's result is not the input. */
export const EP_CHECK_INPUT: readonly number[] = [-1.5, 0, 2.25, -0, 3, -7, 0.5, 1e-3];

/** A one-node model, y = Relu(x) over float32[8], that every EP supports. */
export function epCheckModel(): Uint8Array {
  const dims = [EP_CHECK_INPUT.length];
  return modelBytes({
    graphName: 'hetsched_ep_check',
    nodes: [node('Relu', ['x'], ['y'], [], EP_CHECK_NODE)],
    inputs: [valueInfo('x', 'float32', dims)],
    outputs: [valueInfo('y', 'float32', dims)],
  });
}

/**
 * Why a run of the check model does not show a working EP, or undefined where it does: the output
 * must be Relu of the input exactly, and the profile must show the node on the EP itself, since
 * onnxruntime quietly runs what an EP cannot take on the CPU EP.
 */
export function epCheckFailure(
  provider: GpuProvider,
  output: ArrayLike<number>,
  kernels: readonly KernelEvent[],
): string | undefined {
  // Relu is exact in float32: the output must be the float32 of max(x, 0), bit for bit (but for 0's sign).
  const expected = EP_CHECK_INPUT.map((x) => Math.fround(Math.max(x, 0)));
  if (output.length !== expected.length || expected.some((y, i) => output[i] !== y)) {
    return `Relu computed [${Array.from(output).join(', ')}], expected [${expected.join(', ')}]`;
  }
  const wanted = ORT_PROVIDER_NAMES[provider];
  const ran = kernels.filter((kernel) => kernel.nodeName === EP_CHECK_NODE).map((kernel) => kernel.provider);
  if (!ran.includes(wanted)) {
    return ran.length === 0
      ? `the profile shows no kernel for the check node, so it did not run on ${wanted}`
      : `the check node ran on ${ran.join(', ')}, not on ${wanted}`;
  }
  return undefined;
}
