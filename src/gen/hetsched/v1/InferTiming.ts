// Original file: proto/hetsched/v1/inference_service.proto


/**
 * Where the request's time went inside the server.
 */
export interface InferTiming {
  /**
   * Waiting in the tenant queue.
   */
  'queueMs'?: (number | string);
  /**
   * In onnxruntime, summed over the segments that ran.
   */
  'computeMs'?: (number | string);
  /**
   * Executing, from the first segment's start to the last one's end, hand-offs included.
   */
  'executeMs'?: (number | string);
  /**
   * Segments (onnxruntime sessions) that ran.
   */
  'segments'?: (number);
  /**
   * Whether the request ran the applied plan's alternate placement (the share of the model's
   * requests its plan hands to another placement: PlanSummary.alternate_share), not its main one.
   */
  'alternate'?: (boolean);
}

/**
 * Where the request's time went inside the server.
 */
export interface InferTiming__Output {
  /**
   * Waiting in the tenant queue.
   */
  'queueMs': (number);
  /**
   * In onnxruntime, summed over the segments that ran.
   */
  'computeMs': (number);
  /**
   * Executing, from the first segment's start to the last one's end, hand-offs included.
   */
  'executeMs': (number);
  /**
   * Segments (onnxruntime sessions) that ran.
   */
  'segments': (number);
  /**
   * Whether the request ran the applied plan's alternate placement (the share of the model's
   * requests its plan hands to another placement: PlanSummary.alternate_share), not its main one.
   */
  'alternate': (boolean);
}
