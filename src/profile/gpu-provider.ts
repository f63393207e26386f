/** The GPU execution providers hetsched can place operators on, in onnxruntime-node's names. */
export type GpuProvider = 'webgpu' | 'cuda';

/**
 * The name each provider carries in onnxruntime's profiles (the `provider` of a kernel event).
 * Every other provider name in a profile is a CPU one (CPUExecutionProvider).
 */
export const ORT_PROVIDER_NAMES: Readonly<Record<GpuProvider, string>> = {
  webgpu: 'WebGpuExecutionProvider',
  cuda: 'CUDAExecutionProvider',
};

/** Where a kernel ran: on a GPU EP, or on the CPU EP. */
export function providerKind(ortProvider: string): 'gpu' | 'cpu' {
  return Object.values(ORT_PROVIDER_NAMES).includes(ortProvider) ? 'gpu' : 'cpu';
}
