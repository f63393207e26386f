// Original file: proto/hetsched/v1/profile_service.proto


export interface ProfileProgress {
  /**
   * What is being measured: "machine: switching costs", "cpu x1: operators", ...
   */
  'step'?: (string);
  'done'?: (number);
  'total'?: (number);
}

export interface ProfileProgress__Output {
  /**
   * What is being measured: "machine: switching costs", "cpu x1: operators", ...
   */
  'step': (string);
  'done': (number);
  'total': (number);
}
