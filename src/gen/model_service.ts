import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { GetModelRequest as _hetsched_v1_GetModelRequest, GetModelRequest__Output as _hetsched_v1_GetModelRequest__Output } from './hetsched/v1/GetModelRequest.js';
import type { GetModelResponse as _hetsched_v1_GetModelResponse, GetModelResponse__Output as _hetsched_v1_GetModelResponse__Output } from './hetsched/v1/GetModelResponse.js';
import type { InputShape as _hetsched_v1_InputShape, InputShape__Output as _hetsched_v1_InputShape__Output } from './hetsched/v1/InputShape.js';
import type { ListModelsRequest as _hetsched_v1_ListModelsRequest, ListModelsRequest__Output as _hetsched_v1_ListModelsRequest__Output } from './hetsched/v1/ListModelsRequest.js';
import type { ListModelsResponse as _hetsched_v1_ListModelsResponse, ListModelsResponse__Output as _hetsched_v1_ListModelsResponse__Output } from './hetsched/v1/ListModelsResponse.js';
import type { Model as _hetsched_v1_Model, Model__Output as _hetsched_v1_Model__Output } from './hetsched/v1/Model.js';
import type { ModelServiceClient as _hetsched_v1_ModelServiceClient, ModelServiceDefinition as _hetsched_v1_ModelServiceDefinition } from './hetsched/v1/ModelService.js';
import type { Qos as _hetsched_v1_Qos, Qos__Output as _hetsched_v1_Qos__Output } from './hetsched/v1/Qos.js';
import type { RegisterModelRequest as _hetsched_v1_RegisterModelRequest, RegisterModelRequest__Output as _hetsched_v1_RegisterModelRequest__Output } from './hetsched/v1/RegisterModelRequest.js';
import type { RegisterModelResponse as _hetsched_v1_RegisterModelResponse, RegisterModelResponse__Output as _hetsched_v1_RegisterModelResponse__Output } from './hetsched/v1/RegisterModelResponse.js';
import type { Tensor as _hetsched_v1_Tensor, Tensor__Output as _hetsched_v1_Tensor__Output } from './hetsched/v1/Tensor.js';
import type { TensorContents as _hetsched_v1_TensorContents, TensorContents__Output as _hetsched_v1_TensorContents__Output } from './hetsched/v1/TensorContents.js';
import type { TensorSpec as _hetsched_v1_TensorSpec, TensorSpec__Output as _hetsched_v1_TensorSpec__Output } from './hetsched/v1/TensorSpec.js';
import type { UnregisterModelRequest as _hetsched_v1_UnregisterModelRequest, UnregisterModelRequest__Output as _hetsched_v1_UnregisterModelRequest__Output } from './hetsched/v1/UnregisterModelRequest.js';
import type { UnregisterModelResponse as _hetsched_v1_UnregisterModelResponse, UnregisterModelResponse__Output as _hetsched_v1_UnregisterModelResponse__Output } from './hetsched/v1/UnregisterModelResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  hetsched: {
    v1: {
      DataType: EnumTypeDefinition
      GetModelRequest: MessageTypeDefinition<_hetsched_v1_GetModelRequest, _hetsched_v1_GetModelRequest__Output>
      GetModelResponse: MessageTypeDefinition<_hetsched_v1_GetModelResponse, _hetsched_v1_GetModelResponse__Output>
      InputShape: MessageTypeDefinition<_hetsched_v1_InputShape, _hetsched_v1_InputShape__Output>
      ListModelsRequest: MessageTypeDefinition<_hetsched_v1_ListModelsRequest, _hetsched_v1_ListModelsRequest__Output>
      ListModelsResponse: MessageTypeDefinition<_hetsched_v1_ListModelsResponse, _hetsched_v1_ListModelsResponse__Output>
      Model: MessageTypeDefinition<_hetsched_v1_Model, _hetsched_v1_Model__Output>
      /**
       * Registers, lists and removes models (tenants). Registrations are stored in the model
       * repository on disk and survive restarts.
       */
      ModelService: SubtypeConstructor<typeof grpc.Client, _hetsched_v1_ModelServiceClient> & { service: _hetsched_v1_ModelServiceDefinition }
      Qos: MessageTypeDefinition<_hetsched_v1_Qos, _hetsched_v1_Qos__Output>
      RegisterModelRequest: MessageTypeDefinition<_hetsched_v1_RegisterModelRequest, _hetsched_v1_RegisterModelRequest__Output>
      RegisterModelResponse: MessageTypeDefinition<_hetsched_v1_RegisterModelResponse, _hetsched_v1_RegisterModelResponse__Output>
      Tensor: MessageTypeDefinition<_hetsched_v1_Tensor, _hetsched_v1_Tensor__Output>
      TensorContents: MessageTypeDefinition<_hetsched_v1_TensorContents, _hetsched_v1_TensorContents__Output>
      TensorSpec: MessageTypeDefinition<_hetsched_v1_TensorSpec, _hetsched_v1_TensorSpec__Output>
      UnregisterModelRequest: MessageTypeDefinition<_hetsched_v1_UnregisterModelRequest, _hetsched_v1_UnregisterModelRequest__Output>
      UnregisterModelResponse: MessageTypeDefinition<_hetsched_v1_UnregisterModelResponse, _hetsched_v1_UnregisterModelResponse__Output>
    }
  }
}

