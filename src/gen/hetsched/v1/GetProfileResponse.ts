// Original file: proto/hetsched/v1/profile_service.proto


export interface GetProfileResponse {
  'profileJson'?: (string);
  'machineJson'?: (string);
}

export interface GetProfileResponse__Output {
  'profileJson': (string);
  'machineJson': (string);
}
