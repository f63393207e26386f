// Original file: proto/hetsched/v1/inference_service.proto

/**
 * How output tensors are encoded in the response.
 */
export const OutputEncoding = {
  /**
   * Same as OUTPUT_ENCODING_RAW.
   */
  OUTPUT_ENCODING_UNSPECIFIED: 'OUTPUT_ENCODING_UNSPECIFIED',
  /**
   * Tensor.raw: little-endian bytes. Fastest.
   */
  OUTPUT_ENCODING_RAW: 'OUTPUT_ENCODING_RAW',
  /**
   * Tensor.contents: typed values, readable as JSON (grpcurl, buf curl).
   */
  OUTPUT_ENCODING_CONTENTS: 'OUTPUT_ENCODING_CONTENTS',
} as const;

/**
 * How output tensors are encoded in the response.
 */
export type OutputEncoding =
  /**
   * Same as OUTPUT_ENCODING_RAW.
   */
  | 'OUTPUT_ENCODING_UNSPECIFIED'
  | 0
  /**
   * Tensor.raw: little-endian bytes. Fastest.
   */
  | 'OUTPUT_ENCODING_RAW'
  | 1
  /**
   * Tensor.contents: typed values, readable as JSON (grpcurl, buf curl).
   */
  | 'OUTPUT_ENCODING_CONTENTS'
  | 2

/**
 * How output tensors are encoded in the response.
 */
export type OutputEncoding__Output = typeof OutputEncoding[keyof typeof OutputEncoding]
