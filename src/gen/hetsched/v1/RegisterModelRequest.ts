// Original file: proto/hetsched/v1/model_service.proto

import type { Qos as _hetsched_v1_Qos, Qos__Output as _hetsched_v1_Qos__Output } from '../../hetsched/v1/Qos.js';
import type { InputShape as _hetsched_v1_InputShape, InputShape__Output as _hetsched_v1_InputShape__Output } from '../../hetsched/v1/InputShape.js';

export interface RegisterModelRequest {
  /**
   * [A-Za-z0-9][A-Za-z0-9._-]{0,127}
   */
  'name'?: (string);
  /**
   * 0 means 1.
   */
  'version'?: (number);
  /**
   * Owner of the model; defaults to the model name.
   */
  'tenant'?: (string);
  'qos'?: (_hetsched_v1_Qos | null);
  'inputShapes'?: (_hetsched_v1_InputShape)[];
  /**
   * The ONNX file's bytes (external data is not supported).
   */
  'modelBytes'?: (Buffer | Uint8Array | string);
  /**
   * A file inside the model repository, relative to its root.
   */
  'modelPath'?: (string);
  'source'?: "modelBytes"|"modelPath";
}

export interface RegisterModelRequest__Output {
  /**
   * [A-Za-z0-9][A-Za-z0-9._-]{0,127}
   */
  'name': (string);
  /**
   * 0 means 1.
   */
  'version': (number);
  /**
   * Owner of the model; defaults to the model name.
   */
  'tenant': (string);
  'qos': (_hetsched_v1_Qos__Output | null);
  'inputShapes': (_hetsched_v1_InputShape__Output)[];
  /**
   * The ONNX file's bytes (external data is not supported).
   */
  'modelBytes'?: (Buffer);
  /**
   * A file inside the model repository, relative to its root.
   */
  'modelPath'?: (string);
  'source'?: "modelBytes"|"modelPath";
}
