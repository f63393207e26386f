import { CostModel, type ModelProfile, modelProfileSchema } from '../cost/index.js';
import type { GraphIR, OpNode, TensorInfo } from '../graph/index.js';
import type { SearchTenant } from './problem.js';
import { shippedMachine } from './problem-fixture.js';

/**
 * A two-operator tenant whose costs are known by hand, for tests: A reads the request input `in`
 * and writes `t`, B reads `t` and writes the output `out`. Unfused times: A 4 ms CPU / 1 ms GPU,
 * B 1 ms CPU / 2 ms GPU; every fitted coefficient 0 but a 0.5 ms launch, so an operator's price
 * is exactly its time. Tensors are 1 MiB.
 */

const MiB = 1 << 20;

export const TWO_OP_CPU_MS = [4, 1] as const;
export const TWO_OP_GPU_MS = [1, 2] as const;

/** A 1-MiB-in, 1-MiB-out Relu named `id`. */
export function handOp(index: number, id: string, inputs: string[], outputs: string[]): OpNode {
  return {
    index,
    onnxIndex: index,
    id,
    name: id,
    opType: 'Relu',
    domain: '',
    inputs,
    outputs,
    implicitInputs: [],
    attributes: {},
    subgraphNodeCount: 0,
    flops: 0,
    activationBytesIn: MiB,
    bytesOut: MiB,
    weightBytes: 0,
  };
}

/** A 1-MiB float tensor; `out` is the graph output. */
export function handTensor(
  name: string,
  kind: TensorInfo['kind'],
  producer: number | null,
  consumers: number[],
): TensorInfo {
  return {
    name,
    dtype: 'float32',
    dims: [MiB / 4],
    kind,
    isGraphOutput: name === 'out',
    bytes: MiB,
    producer,
    consumers,
  };
}

export const TWO_OP_GRAPH: GraphIR = {
  version: 1,
  graphName: 'two-op',
  irVersion: 8,
  opsets: { '': 17 },
  inputs: ['in'],
  outputs: ['out'],
  ops: [handOp(0, 'A', ['in'], ['t']), handOp(1, 'B', ['t'], ['out'])],
  constants: [],
  tensors: {
    in: handTensor('in', 'input', null, [0]),
    t: handTensor('t', 'intermediate', 0, [1]),
    out: handTensor('out', 'intermediate', 1, []),
  },
  shapesFromRun: true,
};

/**
 * A hand-built graph of Relu-like operators, each `[id, inputs, outputs]` in topological order:
 * the tensors' producers and readers follow from them. `in` is the request's input, `out` its
 * output; every tensor is 1 MiB unless `bytes` says otherwise.
 */
export function handGraph(
  graphName: string,
  ops: readonly (readonly [id: string, inputs: string[], outputs: string[]])[],
  bytes: Readonly<Record<string, number>> = {},
): GraphIR {
  const producer = new Map<string, number>();
  ops.forEach(([, , outputs], index) => {
    for (const name of outputs) producer.set(name, index);
  });
  const names = [...new Set(ops.flatMap(([, inputs, outputs]) => [...inputs, ...outputs]))];
  const tensors = Object.fromEntries(
    names.map((name) => {
      const readers = ops.flatMap(([, inputs], index) => (inputs.includes(name) ? [index] : []));
      const tensor = handTensor(
        name,
        name === 'in' ? 'input' : 'intermediate',
        producer.get(name) ?? null,
        readers,
      );
      return [name, bytes[name] === undefined ? tensor : { ...tensor, bytes: bytes[name] }];
    }),
  );
  return {
    ...TWO_OP_GRAPH,
    graphName,
    ops: ops.map(([id, inputs, outputs], index) => handOp(index, id, inputs, outputs)),
    tensors,
  };
}

/** A run time measured once, every percentile the same. */
export function timing(medianMs: number): { medianMs: number; p10Ms: number; p90Ms: number; runs: number } {
  return { medianMs, p10Ms: medianMs, p90Ms: medianMs, runs: 1 };
}

function processor(ms: Readonly<Record<string, number>>): Record<string, unknown> {
  const sumMs = Object.values(ms).reduce((sum, value) => sum + value, 0);
  return {
    ops: Object.fromEntries(Object.entries(ms).map(([id, value]) => [id, timing(value)])),
    // Not measured (runs 0): the whole model is priced by its operators, as the tests compute by hand.
    whole: { ...timing(sumMs), runs: 0 },
    sumOfOpsMs: sumMs,
    splitRatio: 1,
    launchMs: 0.5,
  };
}

/** Profile fields to replace on one side (ProcessorCosts: fused, absorbedInto, boundaryMsPerMiB...). */
type CostOverrides = Readonly<Record<string, unknown>>;

export interface HandTenantOverrides
  extends Partial<Pick<SearchTenant, 'weight' | 'ratePerS' | 'gpuAllowed'>> {
  readonly cpu?: CostOverrides;
  readonly gpu?: CostOverrides;
}

/**
 * A tenant of a hand-built graph whose operators cost `cpuMs` and `gpuMs` (by operator id), every
 * fitted coefficient 0 but a 0.5 ms launch unless overridden; weight 2, 100 requests/s.
 */
export function handTenant(
  graph: GraphIR,
  cpuMs: Readonly<Record<string, number>>,
  gpuMs: Readonly<Record<string, number>>,
  overrides: HandTenantOverrides = {},
): SearchTenant {
  const machine = shippedMachine('nvidia-h100-sxm');
  const profile: ModelProfile = modelProfileSchema.parse({
    kind: 'hetsched.model-profile',
    version: 1,
    source: 'analytic',
    machine: machine.name,
    fingerprint: machine.fingerprint,
    model: { sha256: graph.graphName, inputShapes: {} },
    cpu: { '1': { ...processor(cpuMs), ...overrides.cpu } },
    gpu: { ...processor(gpuMs), ...overrides.gpu, accuracy: {} },
  });
  return {
    name: graph.graphName,
    graph,
    cost: new CostModel(graph, machine, profile, { cpuThreads: 1 }),
    sloMs: 100,
    weight: overrides.weight ?? 2,
    ratePerS: overrides.ratePerS ?? 100,
    gpuAllowed: overrides.gpuAllowed ?? graph.ops.map(() => true),
  };
}

export function twoOpTenant(overrides: HandTenantOverrides = {}): SearchTenant {
  const [cpuA, cpuB] = TWO_OP_CPU_MS;
  const [gpuA, gpuB] = TWO_OP_GPU_MS;
  return handTenant(TWO_OP_GRAPH, { A: cpuA, B: cpuB }, { A: gpuA, B: gpuB }, overrides);
}
