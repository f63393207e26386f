import { subgraphsOf } from '../graph/index.js';
import { decodeModel, encodeModel, type GraphProto } from '../onnx/index.js';

/** The probe name of the main-graph node at `index`. */
export function nodeNameOf(index: number): string {
  return `n${index}`;
}

/** Names of nodes inside a control-flow node's subgraphs: their time is inside that node's kernel. */
export const SUBGRAPH_NODE = /^sub\d+_\d+$/;

/**
 * The model with every main-graph node renamed `n<index>`, so that onnxruntime's per-kernel
 * profile events map back to operators (exporters leave names empty or repeated), and every node
 * inside a subgraph renamed `sub<index>_<k>` after the main-graph node that holds it, so that its
 * events are recognised as already counted in that node's span. Only for measuring: the copy is
 * re-encoded through onnx-proto.
 */
export function nameNodesByIndex(modelBytes: Uint8Array): Uint8Array {
  const model = decodeModel(modelBytes);
  (model.graph?.node ?? []).forEach((node, index) => {
    node.name = nodeNameOf(index);
    let inner = 0;
    const rename = (graph: GraphProto): void => {
      for (const child of graph.node ?? []) {
        child.name = `sub${index}_${inner++}`;
        for (const nested of subgraphsOf(child.attribute ?? [])) rename(nested);
      }
    };
    for (const subgraph of subgraphsOf(node.attribute ?? [])) rename(subgraph);
  });
  return encodeModel(model);
}
