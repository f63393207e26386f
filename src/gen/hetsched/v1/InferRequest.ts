// Original file: proto/hetsched/v1/inference_service.proto

import type { Tensor as _hetsched_v1_Tensor, Tensor__Output as _hetsched_v1_Tensor__Output } from '../../hetsched/v1/Tensor.js';
import type { OutputEncoding as _hetsched_v1_OutputEncoding, OutputEncoding__Output as _hetsched_v1_OutputEncoding__Output } from '../../hetsched/v1/OutputEncoding.js';

export interface InferRequest {
  'model'?: (string);
  /**
   * 0 means the latest version.
   */
  'version'?: (number);
  /**
   * One tensor per model input.
   */
  'inputs'?: (_hetsched_v1_Tensor)[];
  /**
   * Names of the outputs to return; empty returns all of them.
   */
  'outputs'?: (string)[];
  'outputEncoding'?: (_hetsched_v1_OutputEncoding);
  /**
   * Echoed in the response; for the caller's tracing.
   */
  'requestId'?: (string);
  /**
   * Where this request's operators run: "all-cpu", "all-gpu" or "random:SEED". Empty runs the
   * model's applied plan (see PlanService.ApplyPlan). Operators a GPU cannot run, or computes
   * differently from the CPU, run on the CPU (PlanService.Explain says which and why).
   */
  'placement'?: (string);
}

export interface InferRequest__Output {
  'model': (string);
  /**
   * 0 means the latest version.
   */
  'version': (number);
  /**
   * One tensor per model input.
   */
  'inputs': (_hetsched_v1_Tensor__Output)[];
  /**
   * Names of the outputs to return; empty returns all of them.
   */
  'outputs': (string)[];
  'outputEncoding': (_hetsched_v1_OutputEncoding__Output);
  /**
   * Echoed in the response; for the caller's tracing.
   */
  'requestId': (string);
  /**
   * Where this request's operators run: "all-cpu", "all-gpu" or "random:SEED". Empty runs the
   * model's applied plan (see PlanService.ApplyPlan). Operators a GPU cannot run, or computes
   * differently from the CPU, run on the CPU (PlanService.Explain says which and why).
   */
  'placement': (string);
}
