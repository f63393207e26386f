export {
  type AttributeProto,
  decodeModel,
  encodeModel,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  onnx,
  type TensorProto,
  toNumber,
  type ValueInfoProto,
} from './codec.js';
export { describeModel, inspectModel, type OnnxModelInfo } from './inspect.js';
