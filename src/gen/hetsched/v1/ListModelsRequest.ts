// Original file: proto/hetsched/v1/model_service.proto


export interface ListModelsRequest {
  /**
   * Only models of this tenant, if set.
   */
  'tenant'?: (string);
}

export interface ListModelsRequest__Output {
  /**
   * Only models of this tenant, if set.
   */
  'tenant': (string);
}
