import { decodeModel, encodeModel, onnx } from '../onnx/index.js';

/**
 * The model with every main-graph node output also declared as a graph output, so that one run
 * returns every intermediate tensor. The extra outputs are untyped (onnxruntime infers their types);
 * nodes inside subgraphs are not exposed. Returns the bytes and the names of all node outputs.
 */
export function exposeNodeOutputs(bytes: Uint8Array): { bytes: Uint8Array; names: string[] } {
  const model = decodeModel(bytes);
  const graph = model.graph ?? onnx.GraphProto.create();
  const declared = new Set((graph.output ?? []).map((value) => value.name ?? ''));
  const names = (graph.node ?? []).flatMap((node) => (node.output ?? []).filter((name) => name !== ''));
  graph.output = [
    ...(graph.output ?? []),
    ...names.filter((name) => !declared.has(name)).map((name) => onnx.ValueInfoProto.create({ name })),
  ];
  return { bytes: encodeModel(model), names };
}
