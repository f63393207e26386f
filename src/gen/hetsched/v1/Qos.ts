// Original file: proto/hetsched/v1/model_service.proto


/**
 * What a tenant asks of the server for one model.
 */
export interface Qos {
  /**
   * Latency target per request, end to end inside the server. Default 100.
   */
  'latencySloMs'?: (number | string);
  /**
   * Relative importance against other tenants. Default 1.
   */
  'weight'?: (number | string);
  /**
   * Expected request rate, used for planning. 0 = unknown.
   */
  'requestRatePerS'?: (number | string);
}

/**
 * What a tenant asks of the server for one model.
 */
export interface Qos__Output {
  /**
   * Latency target per request, end to end inside the server. Default 100.
   */
  'latencySloMs': (number);
  /**
   * Relative importance against other tenants. Default 1.
   */
  'weight': (number);
  /**
   * Expected request rate, used for planning. 0 = unknown.
   */
  'requestRatePerS': (number);
}
