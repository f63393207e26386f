// Original file: proto/hetsched/v1/plan_service.proto


export interface ApplyPlanRequest {
  'model'?: (string);
  /**
   * 0 means the latest version.
   */
  'version'?: (number);
  /**
   * "all-cpu", "all-gpu" or "random:SEED".
   */
  'spec'?: (string);
  /**
   * A plan, as GetPlan or Explain return it (or written by hand).
   */
  'planJson'?: (string);
  'placement'?: "spec"|"planJson";
}

export interface ApplyPlanRequest__Output {
  'model': (string);
  /**
   * 0 means the latest version.
   */
  'version': (number);
  /**
   * "all-cpu", "all-gpu" or "random:SEED".
   */
  'spec'?: (string);
  /**
   * A plan, as GetPlan or Explain return it (or written by hand).
   */
  'planJson'?: (string);
  'placement'?: "spec"|"planJson";
}
