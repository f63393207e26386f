// Original file: proto/hetsched/v1/model_service.proto

import type { Model as _hetsched_v1_Model, Model__Output as _hetsched_v1_Model__Output } from '../../hetsched/v1/Model.js';

export interface ListModelsResponse {
  'models'?: (_hetsched_v1_Model)[];
}

export interface ListModelsResponse__Output {
  'models': (_hetsched_v1_Model__Output)[];
}
