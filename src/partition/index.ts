export { drawRoutes, type PlanDrawing } from './draw-routes.js';
export {
  alternateLabel,
  explainPlan,
  formatExplanation,
  formatShare,
  type PlanExplanation,
  type SegmentExplanation,
} from './explain.js';
export { type GpuVerdict, type GpuVerdicts, type Pin, type PinReason, pinToCpu } from './pins.js';
export {
  expandPlacement,
  formatPlacementSpec,
  type Placement,
  type PlacementSpec,
  parsePlacementSpec,
} from './placement-spec.js';
export {
  type Boundary,
  makePlan,
  PLAN_KIND,
  PLAN_VERSION,
  type Plan,
  type PlanAlternate,
  type PlanMeta,
  type PlanSegment,
  parsePlan,
  planSegments,
  sameRoute,
  withLaneThreads,
} from './plan.js';
export { dotString, type PlanDotOptions, planToDot } from './plan-dot.js';
export { CPU, isGpu, isProcessorId, type ProcessorId, parseProcessor, poolOf } from './processor.js';
export { renderSvg } from './render-svg.js';
export { NO_TENSORS, type Segment, segmentGraph, segmentPlaced } from './segments.js';
export { buildSegmentModels, type SegmentModel } from './submodels.js';
