// Original file: proto/hetsched/v1/profile_service.proto


export interface ProfileResult {
  'profileJson'?: (string);
  'machineJson'?: (string);
  /**
   * Where the profile was written on the server.
   */
  'path'?: (string);
}

export interface ProfileResult__Output {
  'profileJson': (string);
  'machineJson': (string);
  /**
   * Where the profile was written on the server.
   */
  'path': (string);
}
