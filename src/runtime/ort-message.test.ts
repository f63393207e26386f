import { describe, expect, it } from 'vitest';
import { conciseOrtMessage } from './ort-message.js';

describe('conciseOrtMessage', () => {
  it('drops the C++ location and signature onnxruntime prefixes to some errors', () => {
    const raw =
      '/onnxruntime_src/onnxruntime/core/graph/model_load_utils.h:46 void onnxruntime::model_load_utils::ValidateOpsetForDomain(const std::unordered_map<std::__cxx11::basic_string<char>, int>&, const onnxruntime::logging::Logger&, bool, const std::string&, int) ONNX Runtime only *guarantees* support for models stamped with official released onnx opset versions. Current official support for domain ai.onnx is till opset 26.\n';
    expect(conciseOrtMessage(new Error(raw))).toBe(
      'ONNX Runtime only *guarantees* support for models stamped with official released onnx opset versions. Current official support for domain ai.onnx is till opset 26.',
    );
  });

  it('keeps messages without that prefix whole', () => {
    const raw =
      'This is an invalid model. In Node, ("node0", NoSuchOp, "", -1) : ("x": tensor(float),) -> ("y": tensor(float),) , Error No Op registered for NoSuchOp with domain_version of 17';
    expect(conciseOrtMessage(new Error(raw))).toBe(raw);
    expect(conciseOrtMessage('Failed to load model because protobuf parsing failed.')).toBe(
      'Failed to load model because protobuf parsing failed.',
    );
  });
});
