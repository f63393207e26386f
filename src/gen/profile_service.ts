import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GetProfileRequest as _hetsched_v1_GetProfileRequest, GetProfileRequest__Output as _hetsched_v1_GetProfileRequest__Output } from './hetsched/v1/GetProfileRequest.js';
import type { GetProfileResponse as _hetsched_v1_GetProfileResponse, GetProfileResponse__Output as _hetsched_v1_GetProfileResponse__Output } from './hetsched/v1/GetProfileResponse.js';
import type { ProfileProgress as _hetsched_v1_ProfileProgress, ProfileProgress__Output as _hetsched_v1_ProfileProgress__Output } from './hetsched/v1/ProfileProgress.js';
import type { ProfileRequest as _hetsched_v1_ProfileRequest, ProfileRequest__Output as _hetsched_v1_ProfileRequest__Output } from './hetsched/v1/ProfileRequest.js';
import type { ProfileResponse as _hetsched_v1_ProfileResponse, ProfileResponse__Output as _hetsched_v1_ProfileResponse__Output } from './hetsched/v1/ProfileResponse.js';
import type { ProfileResult as _hetsched_v1_ProfileResult, ProfileResult__Output as _hetsched_v1_ProfileResult__Output } from './hetsched/v1/ProfileResult.js';
import type { ProfileServiceClient as _hetsched_v1_ProfileServiceClient, ProfileServiceDefinition as _hetsched_v1_ProfileServiceDefinition } from './hetsched/v1/ProfileService.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  hetsched: {
    v1: {
      GetProfileRequest: MessageTypeDefinition<_hetsched_v1_GetProfileRequest, _hetsched_v1_GetProfileRequest__Output>
      GetProfileResponse: MessageTypeDefinition<_hetsched_v1_GetProfileResponse, _hetsched_v1_GetProfileResponse__Output>
      ProfileProgress: MessageTypeDefinition<_hetsched_v1_ProfileProgress, _hetsched_v1_ProfileProgress__Output>
      ProfileRequest: MessageTypeDefinition<_hetsched_v1_ProfileRequest, _hetsched_v1_ProfileRequest__Output>
      ProfileResponse: MessageTypeDefinition<_hetsched_v1_ProfileResponse, _hetsched_v1_ProfileResponse__Output>
      ProfileResult: MessageTypeDefinition<_hetsched_v1_ProfileResult, _hetsched_v1_ProfileResult__Output>
      /**
       * What this machine costs: profiles are versioned JSON documents (kind "hetsched.machine-profile"
       * and "hetsched.model-profile", see profiles/ in the package) keyed by a hardware fingerprint and
       * the model's sha256 and input shapes.
       */
      ProfileService: SubtypeConstructor<typeof grpc.Client, _hetsched_v1_ProfileServiceClient> & { service: _hetsched_v1_ProfileServiceDefinition }
    }
  }
}

