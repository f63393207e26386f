// Original file: proto/hetsched/v1/plan_service.proto


export interface GetPlanRequest {
  'model'?: (string);
  'version'?: (number);
}

export interface GetPlanRequest__Output {
  'model': (string);
  'version': (number);
}
