export { type AssembleParts, assembleModel } from './assemble.js';
export { indexModel, type ModelLayout } from './assemble-layout.js';
export {
  buildModel,
  type Dim,
  floatAttr,
  floatsAttr,
  intAttr,
  intsAttr,
  type ModelParts,
  modelBytes,
  node,
  type OpsetImport,
  stringAttr,
  type TensorElements,
  tensorAttr,
  tensorProto,
  valueInfo,
} from './builder.js';
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
export {
  concat,
  lengthDelimited,
  lengthPrefix,
  readVarint,
  tag,
  varint,
  varintLength,
  type WireField,
  WireType,
  wireFields,
  writeVarint,
} from './wire.js';
