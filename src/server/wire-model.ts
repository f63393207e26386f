import type { Model } from '../gen/hetsched/v1/Model.js';
import type { TensorSpec as WireTensorSpec } from '../gen/hetsched/v1/TensorSpec.js';
import type { ModelRecord } from '../repository/index.js';
import type { TensorSpec } from '../tensor/index.js';
import { wireDType } from './wire-tensor.js';

export function toWireModel(record: ModelRecord): Model {
  return {
    name: record.name,
    version: record.version,
    tenant: record.tenant,
    qos: {
      latencySloMs: record.qos.latencySloMs,
      weight: record.qos.weight,
      requestRatePerS: record.qos.requestRatePerS,
    },
    inputs: record.inputs.map(toWireSpec),
    outputs: record.outputs.map(toWireSpec),
    sha256: record.sha256,
    sizeBytes: String(record.sizeBytes),
    opset: String(record.opsets.get('') ?? record.opsets.get('ai.onnx') ?? 0),
    irVersion: String(record.irVersion),
    nodeCount: record.nodeCount,
    registeredAtUnixMs: String(record.registeredAtUnixMs),
  };
}

function toWireSpec(spec: TensorSpec): WireTensorSpec {
  return {
    name: spec.name,
    dtype: wireDType(spec.dtype),
    shape: spec.shape.map(String),
    dimNames: [...spec.dimNames],
  };
}
