// Original file: proto/hetsched/v1/model_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetModelRequest as _hetsched_v1_GetModelRequest, GetModelRequest__Output as _hetsched_v1_GetModelRequest__Output } from '../../hetsched/v1/GetModelRequest.js';
import type { GetModelResponse as _hetsched_v1_GetModelResponse, GetModelResponse__Output as _hetsched_v1_GetModelResponse__Output } from '../../hetsched/v1/GetModelResponse.js';
import type { ListModelsRequest as _hetsched_v1_ListModelsRequest, ListModelsRequest__Output as _hetsched_v1_ListModelsRequest__Output } from '../../hetsched/v1/ListModelsRequest.js';
import type { ListModelsResponse as _hetsched_v1_ListModelsResponse, ListModelsResponse__Output as _hetsched_v1_ListModelsResponse__Output } from '../../hetsched/v1/ListModelsResponse.js';
import type { RegisterModelRequest as _hetsched_v1_RegisterModelRequest, RegisterModelRequest__Output as _hetsched_v1_RegisterModelRequest__Output } from '../../hetsched/v1/RegisterModelRequest.js';
import type { RegisterModelResponse as _hetsched_v1_RegisterModelResponse, RegisterModelResponse__Output as _hetsched_v1_RegisterModelResponse__Output } from '../../hetsched/v1/RegisterModelResponse.js';
import type { UnregisterModelRequest as _hetsched_v1_UnregisterModelRequest, UnregisterModelRequest__Output as _hetsched_v1_UnregisterModelRequest__Output } from '../../hetsched/v1/UnregisterModelRequest.js';
import type { UnregisterModelResponse as _hetsched_v1_UnregisterModelResponse, UnregisterModelResponse__Output as _hetsched_v1_UnregisterModelResponse__Output } from '../../hetsched/v1/UnregisterModelResponse.js';

/**
 * Registers, lists and removes models (tenants). Registrations are stored in the model
 * repository on disk and survive restarts.
 */
export interface ModelServiceClient extends grpc.Client {
  GetModel(argument: _hetsched_v1_GetModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _hetsched_v1_GetModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _hetsched_v1_GetModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _hetsched_v1_GetModelRequest, callback: grpc.requestCallback<_hetsched_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _hetsched_v1_GetModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _hetsched_v1_GetModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _hetsched_v1_GetModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  getModel(argument: _hetsched_v1_GetModelRequest, callback: grpc.requestCallback<_hetsched_v1_GetModelResponse__Output>): grpc.ClientUnaryCall;
  
  ListModels(argument: _hetsched_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _hetsched_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _hetsched_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _hetsched_v1_ListModelsRequest, callback: grpc.requestCallback<_hetsched_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _hetsched_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _hetsched_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _hetsched_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _hetsched_v1_ListModelsRequest, callback: grpc.requestCallback<_hetsched_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Validates the ONNX model (parses, loads in onnxruntime), then stores it atomically.
   * ALREADY_EXISTS if the name and version are taken; INVALID_ARGUMENT for a bad model or QoS.
   */
  RegisterModel(argument: _hetsched_v1_RegisterModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_RegisterModelResponse__Output>): grpc.ClientUnaryCall;
  RegisterModel(argument: _hetsched_v1_RegisterModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_RegisterModelResponse__Output>): grpc.ClientUnaryCall;
  RegisterModel(argument: _hetsched_v1_RegisterModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_RegisterModelResponse__Output>): grpc.ClientUnaryCall;
  RegisterModel(argument: _hetsched_v1_RegisterModelRequest, callback: grpc.requestCallback<_hetsched_v1_RegisterModelResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Validates the ONNX model (parses, loads in onnxruntime), then stores it atomically.
   * ALREADY_EXISTS if the name and version are taken; INVALID_ARGUMENT for a bad model or QoS.
   */
  registerModel(argument: _hetsched_v1_RegisterModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_RegisterModelResponse__Output>): grpc.ClientUnaryCall;
  registerModel(argument: _hetsched_v1_RegisterModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_RegisterModelResponse__Output>): grpc.ClientUnaryCall;
  registerModel(argument: _hetsched_v1_RegisterModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_RegisterModelResponse__Output>): grpc.ClientUnaryCall;
  registerModel(argument: _hetsched_v1_RegisterModelRequest, callback: grpc.requestCallback<_hetsched_v1_RegisterModelResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Stops admitting requests for the model, lets queued and running ones finish, then deletes it.
   */
  UnregisterModel(argument: _hetsched_v1_UnregisterModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_UnregisterModelResponse__Output>): grpc.ClientUnaryCall;
  UnregisterModel(argument: _hetsched_v1_UnregisterModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_UnregisterModelResponse__Output>): grpc.ClientUnaryCall;
  UnregisterModel(argument: _hetsched_v1_UnregisterModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_UnregisterModelResponse__Output>): grpc.ClientUnaryCall;
  UnregisterModel(argument: _hetsched_v1_UnregisterModelRequest, callback: grpc.requestCallback<_hetsched_v1_UnregisterModelResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Stops admitting requests for the model, lets queued and running ones finish, then deletes it.
   */
  unregisterModel(argument: _hetsched_v1_UnregisterModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_UnregisterModelResponse__Output>): grpc.ClientUnaryCall;
  unregisterModel(argument: _hetsched_v1_UnregisterModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_UnregisterModelResponse__Output>): grpc.ClientUnaryCall;
  unregisterModel(argument: _hetsched_v1_UnregisterModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_UnregisterModelResponse__Output>): grpc.ClientUnaryCall;
  unregisterModel(argument: _hetsched_v1_UnregisterModelRequest, callback: grpc.requestCallback<_hetsched_v1_UnregisterModelResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Registers, lists and removes models (tenants). Registrations are stored in the model
 * repository on disk and survive restarts.
 */
export interface ModelServiceHandlers extends grpc.UntypedServiceImplementation {
  GetModel: grpc.handleUnaryCall<_hetsched_v1_GetModelRequest__Output, _hetsched_v1_GetModelResponse>;
  
  ListModels: grpc.handleUnaryCall<_hetsched_v1_ListModelsRequest__Output, _hetsched_v1_ListModelsResponse>;
  
  /**
   * Validates the ONNX model (parses, loads in onnxruntime), then stores it atomically.
   * ALREADY_EXISTS if the name and version are taken; INVALID_ARGUMENT for a bad model or QoS.
   */
  RegisterModel: grpc.handleUnaryCall<_hetsched_v1_RegisterModelRequest__Output, _hetsched_v1_RegisterModelResponse>;
  
  /**
   * Stops admitting requests for the model, lets queued and running ones finish, then deletes it.
   */
  UnregisterModel: grpc.handleUnaryCall<_hetsched_v1_UnregisterModelRequest__Output, _hetsched_v1_UnregisterModelResponse>;
  
}

export interface ModelServiceDefinition extends grpc.ServiceDefinition {
  GetModel: MethodDefinition<_hetsched_v1_GetModelRequest, _hetsched_v1_GetModelResponse, _hetsched_v1_GetModelRequest__Output, _hetsched_v1_GetModelResponse__Output>
  ListModels: MethodDefinition<_hetsched_v1_ListModelsRequest, _hetsched_v1_ListModelsResponse, _hetsched_v1_ListModelsRequest__Output, _hetsched_v1_ListModelsResponse__Output>
  RegisterModel: MethodDefinition<_hetsched_v1_RegisterModelRequest, _hetsched_v1_RegisterModelResponse, _hetsched_v1_RegisterModelRequest__Output, _hetsched_v1_RegisterModelResponse__Output>
  UnregisterModel: MethodDefinition<_hetsched_v1_UnregisterModelRequest, _hetsched_v1_UnregisterModelResponse, _hetsched_v1_UnregisterModelRequest__Output, _hetsched_v1_UnregisterModelResponse__Output>
}
