// Original file: proto/hetsched/v1/profile_service.proto


export interface GetProfileRequest {
  'model'?: (string);
  'version'?: (number);
}

export interface GetProfileRequest__Output {
  'model': (string);
  'version': (number);
}
