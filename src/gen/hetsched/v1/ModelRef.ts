// Original file: proto/hetsched/v1/plan_service.proto


export interface ModelRef {
  'model'?: (string);
  /**
   * 0 means the latest version.
   */
  'version'?: (number);
}

export interface ModelRef__Output {
  'model': (string);
  /**
   * 0 means the latest version.
   */
  'version': (number);
}
