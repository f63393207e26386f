export { type Analysis, type AnalyzeOptions, analyzeModel } from './analyze-model.js';
// For workers/profile-worker.ts, the thread that runs onnxruntime for the functions above.
export { EP_CHECK_INPUT, EP_CHECK_NODE, epCheckFailure, epCheckModel } from './ep-check.js';
export { type DetectGpuOptions, detectGpu, type GpuInfo, type GpuPreference } from './ep-detect.js';
export { exposeNodeOutputs } from './expose-outputs.js';
export { hardwareFingerprint, machineName } from './fingerprint.js';
export { attributeFusedKernels, type FusedAttribution } from './fused-attribution.js';
export { type ProbeOptions, probeGpuOperators } from './gpu-probe.js';
export { type GpuProvider, ORT_PROVIDER_NAMES, providerKind } from './gpu-provider.js';
export { type CalibrationModel, type CpuCalibration, calibrateCpu } from './interference.js';
export { type MeasureOptions, measureModel } from './measure-model.js';
export { nameNodesByIndex, nodeNameOf } from './name-nodes.js';
export { epFailureReason } from './ort-failure.js';
export { type KernelEvent, kernelEvents } from './ort-trace.js';
export { buildProbeModel, type ProbeModel, type ProbeNode, type ValueType } from './probe-model.js';
export {
  type NodeVerdict,
  nodeVerdicts,
  type ProbeResult,
  type ProbeSummary,
  type ProbeTiming,
  summarizeProbe,
} from './probe-result.js';
export { ProfileStore } from './profile-store.js';
export { DEFAULT_TOLERANCE, diffTensors, type TensorDiff, type Tolerance } from './tensor-diff.js';
export { timingOf } from './timing.js';
export {
  applyVulkanEnvironment,
  SWIFTSHADER_ICD,
  type VulkanDriver,
  type VulkanHost,
  vulkanDriver,
  vulkanEnvironment,
} from './vulkan-env.js';
export type {
  CoRunTask,
  DetectReply,
  DetectTask,
  EpAttempt,
  FusedKernel,
  GpuWorkerTask,
  ProbeTask,
  TimeReply,
  TimeTask,
  WorkerReply,
} from './worker-protocol.js';
