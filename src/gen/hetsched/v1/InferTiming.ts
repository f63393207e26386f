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
   * Executing (worker hand-off included).
   */
  'computeMs'?: (number | string);
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
   * Executing (worker hand-off included).
   */
  'computeMs': (number);
}
