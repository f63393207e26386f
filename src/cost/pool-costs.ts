import type { GraphIR } from '../graph/index.js';
import type { ProcessorCosts } from './profile-types.js';

/** A pool's costs indexed by operator position, for fast segment sums (the search calls them constantly). */
export interface PoolCosts {
  readonly solo: Float64Array;
  readonly fused: Float64Array;
  /** The operator index of each operator's fused group (its absorber's, or its own). */
  readonly groupOf: Int32Array;
  readonly groupSize: Int32Array;
  /** The whole run's run-to-run spread as a log-normal σ (0: none measured). */
  readonly runLogSd: number;
  /** The whole model's measured run (ms), where it was measured. */
  readonly wholeMs: number | undefined;
  readonly coefficients: ProfileCoefficients;
}

/** A profile's segment coefficients, as fitted or defaulted there (its launch only where one was fitted). */
export type ProfileCoefficients = Pick<
  ProcessorCosts,
  | 'splitRatio'
  | 'intactRatio'
  | 'perOpMs'
  | 'boundaryMsPerMiB'
  | 'outputMsPerMiB'
  | 'convEdgeMsPerMiB'
  | 'perTensorMs'
  | 'launchMs'
>;

export function segmentCoefficientsOf(costs: ProcessorCosts): ProfileCoefficients {
  return {
    splitRatio: costs.splitRatio,
    perOpMs: costs.perOpMs,
    intactRatio: costs.intactRatio,
    boundaryMsPerMiB: costs.boundaryMsPerMiB,
    outputMsPerMiB: costs.outputMsPerMiB,
    convEdgeMsPerMiB: costs.convEdgeMsPerMiB,
    perTensorMs: costs.perTensorMs,
    ...(costs.launchMs !== undefined && { launchMs: costs.launchMs }),
  };
}

export function poolCosts(graph: GraphIR, costs: ProcessorCosts): PoolCosts {
  const indexOf = new Map(graph.ops.map((op) => [op.id, op.index]));
  const count = graph.ops.length;
  const solo = new Float64Array(count);
  const fused = new Float64Array(count);
  const groupOf = new Int32Array(count);
  const groupSize = new Int32Array(count);
  const hasFused = Object.keys(costs.fused).length > 0;
  for (const op of graph.ops) {
    solo[op.index] = costs.ops[op.id]?.medianMs ?? 0;
    // Without a fused profile (analytic, or older), an operator's fused time is its unfused time.
    fused[op.index] = hasFused ? (costs.fused[op.id]?.medianMs ?? 0) : (solo[op.index] ?? 0);
    groupOf[op.index] = op.index;
  }
  for (const op of graph.ops) {
    let group = op.id;
    // Absorption chains end at an operator with a kernel; bounded in case a profile is inconsistent.
    for (let hops = 0; costs.absorbedInto[group] !== undefined && hops < count; hops++)
      group = costs.absorbedInto[group] ?? group;
    groupOf[op.index] = indexOf.get(group) ?? op.index;
  }
  for (const group of groupOf) groupSize[group] = (groupSize[group] ?? 0) + 1;
  return {
    solo,
    fused,
    groupOf,
    groupSize,
    runLogSd: logNormalSd(costs.whole.p10Ms, costs.whole.p90Ms),
    wholeMs: costs.whole.runs > 0 ? costs.whole.medianMs : undefined,
    coefficients: segmentCoefficientsOf(costs),
  };
}

/** z of the 90th percentile of a standard normal. */
const Z90 = 1.2815515655446004;

/** σ of the log-normal whose 10th and 90th percentiles these are; 0 unless both are positive and apart. */
function logNormalSd(p10Ms: number, p90Ms: number): number {
  return p10Ms > 0 && p90Ms > p10Ms ? Math.log(p90Ms / p10Ms) / (2 * Z90) : 0;
}
