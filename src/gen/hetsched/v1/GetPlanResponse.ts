// Original file: proto/hetsched/v1/plan_service.proto

import type { PlanSummary as _hetsched_v1_PlanSummary, PlanSummary__Output as _hetsched_v1_PlanSummary__Output } from '../../hetsched/v1/PlanSummary.js';

export interface GetPlanResponse {
  'planJson'?: (string);
  'summary'?: (_hetsched_v1_PlanSummary | null);
  /**
   * False when no plan was applied (the model runs whole on the CPU).
   */
  'applied'?: (boolean);
}

export interface GetPlanResponse__Output {
  'planJson': (string);
  'summary': (_hetsched_v1_PlanSummary__Output | null);
  /**
   * False when no plan was applied (the model runs whole on the CPU).
   */
  'applied': (boolean);
}
