import { Rng } from '../common/index.js';
import { modelBytes, valueInfo } from '../onnx/index.js';
import { chain } from './synth-chain.js';
import { resolveSpec, SYNTH_SEQUENCE_LENGTH, type SynthModel, type SynthSpec } from './synth-spec.js';
import { STAGE_KINDS, STAGES, type StageKind } from './synth-stages.js';
import { GraphWriter, lastDim, type SynthTensor } from './synth-writer.js';

const INPUT_NAME = 'input';
const OUTPUT_NAME = 'output';

/**
 * Generates a synthetic float32 ONNX model (opset 17) with exactly `spec.operators` nodes, every
 * node named, every intermediate tensor typed and shaped in `valueInfo`. Deterministic: the same
 * spec gives the same bytes.
 *
 * Weights and biases are chosen so that models are mildly contractive at any depth: outputs stay
 * O(1), rounding differences between two executions of the graph stay near float32 precision
 * instead of growing with depth, and a model of a hundred nodes still depends clearly on its input.
 */
export function synthModel(spec: SynthSpec): SynthModel {
  const resolved = resolveSpec(spec);
  const structure = new Rng(resolved.seed);
  const w = new GraphWriter(structure, structure.fork());
  const sequence = resolved.kind === 'attention' || resolved.kind === 'mixed';
  const inputDims = sequence
    ? [resolved.batch, SYNTH_SEQUENCE_LENGTH, resolved.width]
    : [resolved.batch, resolved.width];

  let x: SynthTensor = { name: INPUT_NAME, dims: inputDims };
  let remaining = resolved.operators;
  for (let index = 0; remaining > 0; index++) {
    const kind = resolved.kind === 'mixed' ? drawStage(structure, remaining, sequence) : resolved.kind;
    const stage = STAGES[kind];
    if (remaining < stage.minNodes) {
      // Too few nodes left for the kind's smallest stage: end with a chain.
      x = chain(w, x, remaining, `/stage${index}/tail`);
      break;
    }
    const natural = resolved.kind === 'chain' ? remaining : stage.naturalNodes(structure, lastDim(x));
    // A stage that would leave less than the smallest next one takes the rest itself.
    const smallestNext = resolved.kind === 'mixed' ? STAGES.chain.minNodes : stage.minNodes;
    const nodes = remaining - natural < smallestNext ? remaining : natural;
    x = stage.write(w, x, nodes, `/stage${index}/${kind}`);
    remaining -= nodes;
  }
  if (w.nodeCount !== resolved.operators) {
    throw new Error(`synth: wrote ${w.nodeCount} nodes for a target of ${resolved.operators}`);
  }

  const graph = w.finish(x, OUTPUT_NAME);
  const bytes = modelBytes({
    graphName: `synth_${resolved.kind}_${resolved.operators}_seed${resolved.seed}`,
    nodes: graph.nodes,
    initializers: graph.initializers,
    inputs: [valueInfo(INPUT_NAME, 'float32', inputDims)],
    outputs: [valueInfo(OUTPUT_NAME, 'float32', graph.output.dims)],
    valueInfo: graph.valueInfo,
    producer: 'hetsched-synth',
  });
  return {
    bytes,
    nodeCount: w.nodeCount,
    inputs: [{ name: INPUT_NAME, dtype: 'float32', dims: [...inputDims] }],
    outputs: [{ name: OUTPUT_NAME, dtype: 'float32', dims: [...graph.output.dims] }],
    spec: resolved,
  };
}

/** A stage for `mixed`: any kind that fits in what is left (a chain always does). */
function drawStage(rng: Rng, remaining: number, sequence: boolean): StageKind {
  const fitting = STAGE_KINDS.filter(
    (kind) => STAGES[kind].minNodes <= remaining && (sequence || !STAGES[kind].needsSequence),
  );
  return rng.pick(fitting);
}
