// Original file: proto/hetsched/v1/plan_service.proto


/**
 * An operator asked to run on a GPU that runs on the CPU instead.
 */
export interface PinnedOperator {
  'operator'?: (string);
  'wanted'?: (string);
  'processor'?: (string);
  /**
   * "no-gpu", "gpu-unverified", "gpu-unsupported" or "gpu-inaccurate".
   */
  'reason'?: (string);
  'detail'?: (string);
}

/**
 * An operator asked to run on a GPU that runs on the CPU instead.
 */
export interface PinnedOperator__Output {
  'operator': (string);
  'wanted': (string);
  'processor': (string);
  /**
   * "no-gpu", "gpu-unverified", "gpu-unsupported" or "gpu-inaccurate".
   */
  'reason': (string);
  'detail': (string);
}
