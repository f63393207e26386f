// Original file: proto/hetsched/v1/model_service.proto


export interface UnregisterModelRequest {
  'name'?: (string);
  /**
   * 0 means every version.
   */
  'version'?: (number);
}

export interface UnregisterModelRequest__Output {
  'name': (string);
  /**
   * 0 means every version.
   */
  'version': (number);
}
