// Original file: proto/hetsched/v1/plan_service.proto

import type { ModelPlan as _hetsched_v1_ModelPlan, ModelPlan__Output as _hetsched_v1_ModelPlan__Output } from '../../hetsched/v1/ModelPlan.js';

export interface PlanResponse {
  'plans'?: (_hetsched_v1_ModelPlan)[];
  /**
   * The whole report (kind "hetsched.search-report"): predicted metrics per tenant, every
   * baseline's score, the LP bound, the search trace, the learning curve and the policy.
   */
  'reportJson'?: (string);
  /**
   * "two-phase", or the baseline the simulator judged better.
   */
  'chosen'?: (string);
  /**
   * The simulator's score of the chosen plans (weighted requests/s within the SLOs, or minus
   * the weighted mean latency in ms).
   */
  'score'?: (number | string);
  'applied'?: (boolean);
}

export interface PlanResponse__Output {
  'plans': (_hetsched_v1_ModelPlan__Output)[];
  /**
   * The whole report (kind "hetsched.search-report"): predicted metrics per tenant, every
   * baseline's score, the LP bound, the search trace, the learning curve and the policy.
   */
  'reportJson': (string);
  /**
   * "two-phase", or the baseline the simulator judged better.
   */
  'chosen': (string);
  /**
   * The simulator's score of the chosen plans (weighted requests/s within the SLOs, or minus
   * the weighted mean latency in ms).
   */
  'score': (number);
  'applied': (boolean);
}
