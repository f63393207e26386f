// Original file: proto/hetsched/v1/profile_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetProfileRequest as _hetsched_v1_GetProfileRequest, GetProfileRequest__Output as _hetsched_v1_GetProfileRequest__Output } from '../../hetsched/v1/GetProfileRequest.js';
import type { GetProfileResponse as _hetsched_v1_GetProfileResponse, GetProfileResponse__Output as _hetsched_v1_GetProfileResponse__Output } from '../../hetsched/v1/GetProfileResponse.js';
import type { ProfileRequest as _hetsched_v1_ProfileRequest, ProfileRequest__Output as _hetsched_v1_ProfileRequest__Output } from '../../hetsched/v1/ProfileRequest.js';
import type { ProfileResponse as _hetsched_v1_ProfileResponse, ProfileResponse__Output as _hetsched_v1_ProfileResponse__Output } from '../../hetsched/v1/ProfileResponse.js';

/**
 * What this machine costs: profiles are versioned JSON documents (kind "hetsched.machine-profile"
 * and "hetsched.model-profile", see profiles/ in the package) keyed by a hardware fingerprint and
 * the model's sha256 and input shapes.
 */
export interface ProfileServiceClient extends grpc.Client {
  /**
   * The stored profile of a registered model on this machine; NOT_FOUND before Profile ran.
   */
  GetProfile(argument: _hetsched_v1_GetProfileRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_GetProfileResponse__Output>): grpc.ClientUnaryCall;
  GetProfile(argument: _hetsched_v1_GetProfileRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_GetProfileResponse__Output>): grpc.ClientUnaryCall;
  GetProfile(argument: _hetsched_v1_GetProfileRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_GetProfileResponse__Output>): grpc.ClientUnaryCall;
  GetProfile(argument: _hetsched_v1_GetProfileRequest, callback: grpc.requestCallback<_hetsched_v1_GetProfileResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The stored profile of a registered model on this machine; NOT_FOUND before Profile ran.
   */
  getProfile(argument: _hetsched_v1_GetProfileRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_GetProfileResponse__Output>): grpc.ClientUnaryCall;
  getProfile(argument: _hetsched_v1_GetProfileRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_GetProfileResponse__Output>): grpc.ClientUnaryCall;
  getProfile(argument: _hetsched_v1_GetProfileRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_GetProfileResponse__Output>): grpc.ClientUnaryCall;
  getProfile(argument: _hetsched_v1_GetProfileRequest, callback: grpc.requestCallback<_hetsched_v1_GetProfileResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Measures a registered model on this machine (each operator on the CPU at each thread count and
   * on the GPU, fused and unfused; the whole model; the segment cost fit; GPU accuracy), measuring
   * the machine first if no profile of it exists. Streams progress, then the stored profile.
   * Profiles run one at a time; a second call waits (its progress says so). Closing the stream does
   * not stop a measurement that has started: its result is still stored.
   */
  Profile(argument: _hetsched_v1_ProfileRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hetsched_v1_ProfileResponse__Output>;
  Profile(argument: _hetsched_v1_ProfileRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hetsched_v1_ProfileResponse__Output>;
  /**
   * Measures a registered model on this machine (each operator on the CPU at each thread count and
   * on the GPU, fused and unfused; the whole model; the segment cost fit; GPU accuracy), measuring
   * the machine first if no profile of it exists. Streams progress, then the stored profile.
   * Profiles run one at a time; a second call waits (its progress says so). Closing the stream does
   * not stop a measurement that has started: its result is still stored.
   */
  profile(argument: _hetsched_v1_ProfileRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_hetsched_v1_ProfileResponse__Output>;
  profile(argument: _hetsched_v1_ProfileRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_hetsched_v1_ProfileResponse__Output>;
  
}

/**
 * What this machine costs: profiles are versioned JSON documents (kind "hetsched.machine-profile"
 * and "hetsched.model-profile", see profiles/ in the package) keyed by a hardware fingerprint and
 * the model's sha256 and input shapes.
 */
export interface ProfileServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The stored profile of a registered model on this machine; NOT_FOUND before Profile ran.
   */
  GetProfile: grpc.handleUnaryCall<_hetsched_v1_GetProfileRequest__Output, _hetsched_v1_GetProfileResponse>;
  
  /**
   * Measures a registered model on this machine (each operator on the CPU at each thread count and
   * on the GPU, fused and unfused; the whole model; the segment cost fit; GPU accuracy), measuring
   * the machine first if no profile of it exists. Streams progress, then the stored profile.
   * Profiles run one at a time; a second call waits (its progress says so). Closing the stream does
   * not stop a measurement that has started: its result is still stored.
   */
  Profile: grpc.handleServerStreamingCall<_hetsched_v1_ProfileRequest__Output, _hetsched_v1_ProfileResponse>;
  
}

export interface ProfileServiceDefinition extends grpc.ServiceDefinition {
  GetProfile: MethodDefinition<_hetsched_v1_GetProfileRequest, _hetsched_v1_GetProfileResponse, _hetsched_v1_GetProfileRequest__Output, _hetsched_v1_GetProfileResponse__Output>
  Profile: MethodDefinition<_hetsched_v1_ProfileRequest, _hetsched_v1_ProfileResponse, _hetsched_v1_ProfileRequest__Output, _hetsched_v1_ProfileResponse__Output>
}
