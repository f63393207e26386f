export { REQUEST_SLOTS_PER_THREAD, requestSlotsFor } from './admission.js';
export {
  type AnalyticModelMeta,
  type AnalyticProfileOptions,
  analyticCpuOpMs,
  analyticGpuOpMs,
  analyticModelProfile,
  CPU_KERNEL_OVERHEAD_US,
  MATRIX_OPS,
  opDtype,
} from './analytic.js';
export type { OpPrices } from './bound-prices.js';
export {
  CostModel,
  type CostModelOptions,
  type CostPool,
  linear,
  type SegmentOverheads,
} from './cost-model.js';
export { OP_CLASSES, type OpClass, opClass } from './op-class.js';
export { simTenant, type TenantLoad, type ThreadBudget } from './plan-to-sim.js';
export { segmentCoefficientsOf } from './pool-costs.js';
export {
  fingerprintSchema,
  type HardwareFingerprint,
  type LinearCost,
  linearCostSchema,
  type MachineProfile,
  type ModelProfile,
  machineProfileSchema,
  modelProfileSchema,
  PROFILE_VERSION,
  type ProcessorCosts,
  type ProfileSource,
  processorCostsSchema,
  type Roofline,
  rooflineSchema,
  type Timing,
  timingSchema,
  type WorkerIdle,
} from './profile-types.js';
export {
  fitSegmentCost,
  type SegmentCoefficients,
  type SegmentSample,
  UNFITTED_SEGMENT_COSTS,
} from './segment-fit.js';
export { simulate } from './sim.js';
export { traceJson } from './sim-trace.js';
export type {
  ChromeTraceEvent,
  SimArrival,
  SimConfig,
  SimLatency,
  SimObjective,
  SimPool,
  SimPoolId,
  SimPoolResult,
  SimResult,
  SimSegment,
  SimTenant,
  SimTenantResult,
} from './sim-types.js';
