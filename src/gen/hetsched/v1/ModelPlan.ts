// Original file: proto/hetsched/v1/plan_service.proto


export interface ModelPlan {
  'model'?: (string);
  'version'?: (number);
  'planJson'?: (string);
}

export interface ModelPlan__Output {
  'model': (string);
  'version': (number);
  'planJson': (string);
}
