// Original file: proto/hetsched/v1/model_service.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Fixes the dimensions a model leaves open for one input. Dimensions given as -1 stay open.
 */
export interface InputShape {
  'name'?: (string);
  'shape'?: (number | string | Long)[];
}

/**
 * Fixes the dimensions a model leaves open for one input. Dimensions given as -1 stay open.
 */
export interface InputShape__Output {
  'name': (string);
  'shape': (string)[];
}
