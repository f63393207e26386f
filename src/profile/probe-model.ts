import { Code, HetschedError } from '../common/index.js';
import { implicitInputs, subgraphsOf } from '../graph/index.js';
import { decodeModel, encodeModel, type GraphProto, type NodeProto, onnx, valueInfo } from '../onnx/index.js';
import type { DType } from '../tensor/index.js';

/** The element type and shape of a tensor the CPU run produced (or the caller fed). */
export interface ValueType {
  readonly dtype: DType;
  readonly dims: readonly number[];
}

/** One main-graph node of the original model and what it became in the probe model. */
export interface ProbeNode {
  /** Position in the original graph.node: the node's identity, since many nodes have no name. */
  readonly index: number;
  /** The original name ('' where it had none). */
  readonly name: string;
  readonly opType: string;
  /** Its unique name in the probe model, which its profile events carry. */
  readonly probeName: string;
  /** Its outputs: the original tensor name (whose CPU value is the reference) and the probe one. */
  readonly outputs: ReadonlyArray<{ readonly original: string; readonly probe: string }>;
}

/** A model in which every node reads its inputs from graph inputs, plus how to read its results. */
export interface ProbeModel {
  readonly bytes: Uint8Array;
  /** The graph inputs to feed, each with the CPU value of the tensor of that name. */
  readonly inputNames: readonly string[];
  readonly nodes: readonly ProbeNode[];
}

/** The probe name of node `index`; nodes inside its subgraphs get `<probe name>/<k>`. */
export function probeNodeName(index: number): string {
  return `hetsched_probe_${index}`;
}

/**
 * The graph.node index a node name in the probe session belongs to, and whether the name is that
 * node's own (not one of its subgraph nodes'); undefined for nodes onnxruntime inserted (copies,
 * layout Transposes). onnxruntime renames the nodes its layout pass rewrites (Conv to NHWC on the
 * WebGPU EP) to `<name>_token_<n>`, which still belong to the node.
 */
export function probeNodeOwner(nodeName: string): { index: number; own: boolean } | undefined {
  const match = /^hetsched_probe_(\d+)(\/.*)?$/.exec(nodeName.replace(/(?:_token_\d+)+$/, ''));
  return match?.[1] === undefined ? undefined : { index: Number(match[1]), own: match[2] === undefined };
}

/**
 * Builds the probe model: the original main-graph nodes, each reading every input (explicit, and
 * implicit ones that its subgraphs take from the outer scope) from a graph input, so that on the GPU
 * each node computes from exactly the CPU's values and errors cannot accumulate from node to node.
 * Node outputs are renamed `<name>__gpu` (no tensor may be both a graph input and produced) and all
 * are graph outputs. Initializers stay initializers, and Constant nodes stay as they are, their
 * outputs keeping their names and their consumers reading them directly: onnxruntime turns them into
 * initializers, and kernels treat a constant input differently from a fed one. Measured on PP-OCR cls
 * (weights in Constant nodes), feeding Constant values as graph inputs sent all 18 Clip nodes to the
 * CPU EP (min/max no longer constant) and made the WebGPU EP's layout pass transpose Conv weights at
 * run time, so the probe would judge other kernels than the model runs. Every node gets a unique
 * name, and so does every node of its subgraphs, so that the profile's kernel events map back to
 * graph.node indices.
 *
 * `types` must hold every tensor the nodes consume that is not an initializer: the model's inputs and
 * every node output, as the CPU run produced them.
 */
export function buildProbeModel(bytes: Uint8Array, types: ReadonlyMap<string, ValueType>): ProbeModel {
  const model = decodeModel(bytes);
  const graph = model.graph as GraphProto;
  const initializers = new Set((graph.initializer ?? []).map((tensor) => tensor.name ?? ''));
  const constants = new Set(
    (graph.node ?? [])
      .filter(isConstant)
      .flatMap((node) => (node.output ?? []).filter((name) => name !== '')),
  );
  const suffix = freeSuffix(graph);

  const inputNames: string[] = [];
  const seen = new Set<string>();
  const feed = (name: string) => {
    if (name === '' || seen.has(name) || constants.has(name)) return;
    if (initializers.has(name) && !types.has(name)) return;
    seen.add(name);
    inputNames.push(name);
  };

  const nodes: ProbeNode[] = [];
  const outputs: string[] = [];
  for (const [index, node] of (graph.node ?? []).entries()) {
    for (const name of [...(node.input ?? []), ...implicitInputs(node)]) feed(name);
    const probeName = probeNodeName(index);
    const renamed = (node.output ?? []).map((name) =>
      name === '' || isConstant(node) ? name : `${name}${suffix}`,
    );
    nodes.push({
      index,
      name: node.name ?? '',
      opType: node.opType ?? '',
      probeName,
      outputs: (node.output ?? []).flatMap((original, i) =>
        original === '' ? [] : [{ original, probe: renamed[i] ?? '' }],
      ),
    });
    outputs.push(...renamed.filter((name) => name !== ''));
    node.name = probeName;
    node.output = renamed;
    let nested = 0;
    const renameNested = (sub: GraphProto) => {
      for (const inner of sub.node ?? []) {
        inner.name = `${probeName}/${nested++}`;
        for (const deeper of subgraphsOf(inner.attribute ?? [])) renameNested(deeper);
      }
    };
    for (const sub of subgraphsOf(node.attribute ?? [])) renameNested(sub);
  }

  graph.input = inputNames.map((name) => {
    const type = types.get(name);
    if (!type) {
      throw new HetschedError(Code.Internal, `probe model: no CPU value for tensor '${name}' to feed`);
    }
    return valueInfo(name, type.dtype, type.dims);
  });
  graph.output = outputs.map((name) => onnx.ValueInfoProto.create({ name }));
  // value_info described the original intermediate tensors, which are graph inputs now.
  graph.valueInfo = [];
  return { bytes: encodeModel(model), inputNames, nodes };
}

function isConstant(node: NodeProto): boolean {
  return node.opType === 'Constant' && (node.domain ?? '') === '';
}

/** `__gpu`, or `__gpu1`, `__gpu2`... if some tensor of the graph already ends that way. */
function freeSuffix(graph: GraphProto): string {
  const names = new Set(
    (graph.node ?? []).flatMap((node) => [...(node.input ?? []), ...(node.output ?? [])]),
  );
  for (let attempt = 0; ; attempt++) {
    const suffix = attempt === 0 ? '__gpu' : `__gpu${attempt}`;
    if (![...names].some((name) => names.has(`${name}${suffix}`))) return suffix;
  }
}
