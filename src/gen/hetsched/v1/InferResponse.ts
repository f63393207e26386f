// Original file: proto/hetsched/v1/inference_service.proto

import type { Tensor as _hetsched_v1_Tensor, Tensor__Output as _hetsched_v1_Tensor__Output } from '../../hetsched/v1/Tensor.js';
import type { InferTiming as _hetsched_v1_InferTiming, InferTiming__Output as _hetsched_v1_InferTiming__Output } from '../../hetsched/v1/InferTiming.js';

export interface InferResponse {
  'model'?: (string);
  'version'?: (number);
  'outputs'?: (_hetsched_v1_Tensor)[];
  'requestId'?: (string);
  'timing'?: (_hetsched_v1_InferTiming | null);
}

export interface InferResponse__Output {
  'model': (string);
  'version': (number);
  'outputs': (_hetsched_v1_Tensor__Output)[];
  'requestId': (string);
  'timing': (_hetsched_v1_InferTiming__Output | null);
}
