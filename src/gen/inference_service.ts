import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { InferRequest as _hetsched_v1_InferRequest, InferRequest__Output as _hetsched_v1_InferRequest__Output } from './hetsched/v1/InferRequest.js';
import type { InferResponse as _hetsched_v1_InferResponse, InferResponse__Output as _hetsched_v1_InferResponse__Output } from './hetsched/v1/InferResponse.js';
import type { InferTiming as _hetsched_v1_InferTiming, InferTiming__Output as _hetsched_v1_InferTiming__Output } from './hetsched/v1/InferTiming.js';
import type { InferenceServiceClient as _hetsched_v1_InferenceServiceClient, InferenceServiceDefinition as _hetsched_v1_InferenceServiceDefinition } from './hetsched/v1/InferenceService.js';
import type { Tensor as _hetsched_v1_Tensor, Tensor__Output as _hetsched_v1_Tensor__Output } from './hetsched/v1/Tensor.js';
import type { TensorContents as _hetsched_v1_TensorContents, TensorContents__Output as _hetsched_v1_TensorContents__Output } from './hetsched/v1/TensorContents.js';
import type { TensorSpec as _hetsched_v1_TensorSpec, TensorSpec__Output as _hetsched_v1_TensorSpec__Output } from './hetsched/v1/TensorSpec.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  hetsched: {
    v1: {
      DataType: EnumTypeDefinition
      InferRequest: MessageTypeDefinition<_hetsched_v1_InferRequest, _hetsched_v1_InferRequest__Output>
      InferResponse: MessageTypeDefinition<_hetsched_v1_InferResponse, _hetsched_v1_InferResponse__Output>
      InferTiming: MessageTypeDefinition<_hetsched_v1_InferTiming, _hetsched_v1_InferTiming__Output>
      /**
       * Runs inference on registered models.
       */
      InferenceService: SubtypeConstructor<typeof grpc.Client, _hetsched_v1_InferenceServiceClient> & { service: _hetsched_v1_InferenceServiceDefinition }
      OutputEncoding: EnumTypeDefinition
      Tensor: MessageTypeDefinition<_hetsched_v1_Tensor, _hetsched_v1_Tensor__Output>
      TensorContents: MessageTypeDefinition<_hetsched_v1_TensorContents, _hetsched_v1_TensorContents__Output>
      TensorSpec: MessageTypeDefinition<_hetsched_v1_TensorSpec, _hetsched_v1_TensorSpec__Output>
    }
  }
}

