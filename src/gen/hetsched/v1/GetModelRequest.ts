// Original file: proto/hetsched/v1/model_service.proto


export interface GetModelRequest {
  'name'?: (string);
  /**
   * 0 means the latest version.
   */
  'version'?: (number);
}

export interface GetModelRequest__Output {
  'name': (string);
  /**
   * 0 means the latest version.
   */
  'version': (number);
}
