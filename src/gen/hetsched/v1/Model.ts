// Original file: proto/hetsched/v1/model_service.proto

import type { Qos as _hetsched_v1_Qos, Qos__Output as _hetsched_v1_Qos__Output } from '../../hetsched/v1/Qos.js';
import type { TensorSpec as _hetsched_v1_TensorSpec, TensorSpec__Output as _hetsched_v1_TensorSpec__Output } from '../../hetsched/v1/TensorSpec.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A registered model version.
 */
export interface Model {
  'name'?: (string);
  'version'?: (number);
  'tenant'?: (string);
  'qos'?: (_hetsched_v1_Qos | null);
  /**
   * Inputs with the registered input shapes applied.
   */
  'inputs'?: (_hetsched_v1_TensorSpec)[];
  'outputs'?: (_hetsched_v1_TensorSpec)[];
  /**
   * Hex sha256 of the ONNX file.
   */
  'sha256'?: (string);
  'sizeBytes'?: (number | string | Long);
  /**
   * Opset of the default ONNX domain.
   */
  'opset'?: (number | string | Long);
  'irVersion'?: (number | string | Long);
  /**
   * Number of nodes in the main graph.
   */
  'nodeCount'?: (number);
  /**
   * Registration time, milliseconds since the Unix epoch.
   */
  'registeredAtUnixMs'?: (number | string | Long);
}

/**
 * A registered model version.
 */
export interface Model__Output {
  'name': (string);
  'version': (number);
  'tenant': (string);
  'qos': (_hetsched_v1_Qos__Output | null);
  /**
   * Inputs with the registered input shapes applied.
   */
  'inputs': (_hetsched_v1_TensorSpec__Output)[];
  'outputs': (_hetsched_v1_TensorSpec__Output)[];
  /**
   * Hex sha256 of the ONNX file.
   */
  'sha256': (string);
  'sizeBytes': (string);
  /**
   * Opset of the default ONNX domain.
   */
  'opset': (string);
  'irVersion': (string);
  /**
   * Number of nodes in the main graph.
   */
  'nodeCount': (number);
  /**
   * Registration time, milliseconds since the Unix epoch.
   */
  'registeredAtUnixMs': (string);
}
