// Original file: proto/hetsched/v1/tensor.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Typed element values. Exactly one list is used, the one the dtype selects:
 * float_values: FLOAT32, FLOAT16 (rounded to nearest half); double_values: FLOAT64;
 * int_values: INT8, INT16, INT32, UINT8, UINT16; int64_values: INT64; uint_values: UINT32;
 * uint64_values: UINT64; bool_values: BOOL.
 */
export interface TensorContents {
  'floatValues'?: (number | string)[];
  'doubleValues'?: (number | string)[];
  'intValues'?: (number)[];
  'int64Values'?: (number | string | Long)[];
  'uintValues'?: (number)[];
  'uint64Values'?: (number | string | Long)[];
  'boolValues'?: (boolean)[];
}

/**
 * Typed element values. Exactly one list is used, the one the dtype selects:
 * float_values: FLOAT32, FLOAT16 (rounded to nearest half); double_values: FLOAT64;
 * int_values: INT8, INT16, INT32, UINT8, UINT16; int64_values: INT64; uint_values: UINT32;
 * uint64_values: UINT64; bool_values: BOOL.
 */
export interface TensorContents__Output {
  'floatValues': (number)[];
  'doubleValues': (number)[];
  'intValues': (number)[];
  'int64Values': (string)[];
  'uintValues': (number)[];
  'uint64Values': (string)[];
  'boolValues': (boolean)[];
}
