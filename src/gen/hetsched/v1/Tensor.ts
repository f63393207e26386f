// Original file: proto/hetsched/v1/tensor.proto

import type { DataType as _hetsched_v1_DataType, DataType__Output as _hetsched_v1_DataType__Output } from '../../hetsched/v1/DataType.js';
import type { TensorContents as _hetsched_v1_TensorContents, TensorContents__Output as _hetsched_v1_TensorContents__Output } from '../../hetsched/v1/TensorContents.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A named dense tensor. Elements are row-major. Send either `raw` (fastest: little-endian bytes,
 * no padding; the only way to send FLOAT16 bit-exactly) or `contents` (typed values, convenient
 * from grpcurl / buf curl).
 */
export interface Tensor {
  'name'?: (string);
  'dtype'?: (_hetsched_v1_DataType);
  /**
   * Dimensions; every entry >= 0. An empty list is a scalar.
   */
  'shape'?: (number | string | Long)[];
  'raw'?: (Buffer | Uint8Array | string);
  'contents'?: (_hetsched_v1_TensorContents | null);
  'data'?: "raw"|"contents";
}

/**
 * A named dense tensor. Elements are row-major. Send either `raw` (fastest: little-endian bytes,
 * no padding; the only way to send FLOAT16 bit-exactly) or `contents` (typed values, convenient
 * from grpcurl / buf curl).
 */
export interface Tensor__Output {
  'name': (string);
  'dtype': (_hetsched_v1_DataType__Output);
  /**
   * Dimensions; every entry >= 0. An empty list is a scalar.
   */
  'shape': (string)[];
  'raw'?: (Buffer);
  'contents'?: (_hetsched_v1_TensorContents__Output | null);
  'data'?: "raw"|"contents";
}
