import type { Options } from '@grpc/proto-loader';

/** The .proto files the server loads, relative to proto/. */
export const PROTO_FILES = [
  'hetsched/v1/model_service.proto',
  'hetsched/v1/inference_service.proto',
  'hetsched/v1/plan_service.proto',
  'hetsched/v1/profile_service.proto',
] as const;

/**
 * How proto-loader maps messages to JavaScript; src/gen's types are generated with the same
 * settings. int64 as String keeps 64-bit tensor values exact; enums as their names.
 */
export const PROTO_LOADER_OPTIONS = {
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
} as const satisfies Options;
