// Original file: proto/hetsched/v1/inference_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { InferRequest as _hetsched_v1_InferRequest, InferRequest__Output as _hetsched_v1_InferRequest__Output } from '../../hetsched/v1/InferRequest.js';
import type { InferResponse as _hetsched_v1_InferResponse, InferResponse__Output as _hetsched_v1_InferResponse__Output } from '../../hetsched/v1/InferResponse.js';

/**
 * Runs inference on registered models.
 */
export interface InferenceServiceClient extends grpc.Client {
  /**
   * NOT_FOUND for an unknown model; INVALID_ARGUMENT for a wrong input name, dtype or shape;
   * RESOURCE_EXHAUSTED when the model's queue is full; DEADLINE_EXCEEDED when the call's deadline
   * passes before the result is ready.
   */
  Infer(argument: _hetsched_v1_InferRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_InferResponse__Output>): grpc.ClientUnaryCall;
  Infer(argument: _hetsched_v1_InferRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_InferResponse__Output>): grpc.ClientUnaryCall;
  Infer(argument: _hetsched_v1_InferRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_InferResponse__Output>): grpc.ClientUnaryCall;
  Infer(argument: _hetsched_v1_InferRequest, callback: grpc.requestCallback<_hetsched_v1_InferResponse__Output>): grpc.ClientUnaryCall;
  /**
   * NOT_FOUND for an unknown model; INVALID_ARGUMENT for a wrong input name, dtype or shape;
   * RESOURCE_EXHAUSTED when the model's queue is full; DEADLINE_EXCEEDED when the call's deadline
   * passes before the result is ready.
   */
  infer(argument: _hetsched_v1_InferRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_InferResponse__Output>): grpc.ClientUnaryCall;
  infer(argument: _hetsched_v1_InferRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_InferResponse__Output>): grpc.ClientUnaryCall;
  infer(argument: _hetsched_v1_InferRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_InferResponse__Output>): grpc.ClientUnaryCall;
  infer(argument: _hetsched_v1_InferRequest, callback: grpc.requestCallback<_hetsched_v1_InferResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Runs inference on registered models.
 */
export interface InferenceServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * NOT_FOUND for an unknown model; INVALID_ARGUMENT for a wrong input name, dtype or shape;
   * RESOURCE_EXHAUSTED when the model's queue is full; DEADLINE_EXCEEDED when the call's deadline
   * passes before the result is ready.
   */
  Infer: grpc.handleUnaryCall<_hetsched_v1_InferRequest__Output, _hetsched_v1_InferResponse>;
  
}

export interface InferenceServiceDefinition extends grpc.ServiceDefinition {
  Infer: MethodDefinition<_hetsched_v1_InferRequest, _hetsched_v1_InferResponse, _hetsched_v1_InferRequest__Output, _hetsched_v1_InferResponse__Output>
}
