// Original file: proto/hetsched/v1/tensor.proto

import type { DataType as _hetsched_v1_DataType, DataType__Output as _hetsched_v1_DataType__Output } from '../../hetsched/v1/DataType.js';
import type { Long } from '@grpc/proto-loader';

/**
 * The declared signature of one model input or output.
 */
export interface TensorSpec {
  'name'?: (string);
  'dtype'?: (_hetsched_v1_DataType);
  /**
   * Dimensions; -1 where the dimension is not fixed.
   */
  'shape'?: (number | string | Long)[];
  /**
   * Symbolic name of each dimension where the model gives one, "" otherwise; same length as shape.
   */
  'dimNames'?: (string)[];
}

/**
 * The declared signature of one model input or output.
 */
export interface TensorSpec__Output {
  'name': (string);
  'dtype': (_hetsched_v1_DataType__Output);
  /**
   * Dimensions; -1 where the dimension is not fixed.
   */
  'shape': (string)[];
  /**
   * Symbolic name of each dimension where the model gives one, "" otherwise; same length as shape.
   */
  'dimNames': (string)[];
}
