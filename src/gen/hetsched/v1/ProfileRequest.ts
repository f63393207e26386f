// Original file: proto/hetsched/v1/profile_service.proto


export interface ProfileRequest {
  'model'?: (string);
  /**
   * 0 means the latest version.
   */
  'version'?: (number);
  /**
   * CPU intra-op thread counts to measure; empty: the server's own.
   */
  'cpuThreads'?: (number)[];
  /**
   * Measured runs per configuration; 0: 30.
   */
  'runs'?: (number);
  /**
   * Measure the machine again even if a profile of it exists.
   */
  'remeasureMachine'?: (boolean);
  /**
   * Also measure a software GPU (SwiftShader, lavapipe): slow, and nothing is planned on one
   * unless asked; for testing the GPU path.
   */
  'softwareGpu'?: (boolean);
}

export interface ProfileRequest__Output {
  'model': (string);
  /**
   * 0 means the latest version.
   */
  'version': (number);
  /**
   * CPU intra-op thread counts to measure; empty: the server's own.
   */
  'cpuThreads': (number)[];
  /**
   * Measured runs per configuration; 0: 30.
   */
  'runs': (number);
  /**
   * Measure the machine again even if a profile of it exists.
   */
  'remeasureMachine': (boolean);
  /**
   * Also measure a software GPU (SwiftShader, lavapipe): slow, and nothing is planned on one
   * unless asked; for testing the GPU path.
   */
  'softwareGpu': (boolean);
}
