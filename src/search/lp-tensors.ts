import type { CostPool } from '../cost/index.js';
import { ALL, type BoundLp, combined, difference, type Terms } from './lp-builder.js';
import type { SearchTenant } from './problem.js';
import { type SkipLink, skipLinks } from './skip-links.js';

/**
 * What the tensors a tenant's segments hand each other cost the LP bound (lp-bound.ts): the edge
 * terms of CostModel.segmentMs on the pools at both ends, and the CPU workers' waits per MiB.
 */

const GPU: CostPool = 'gpu:0';
const CPU: CostPool = 'cpu';
const MiB = 1 << 20;
const sideOf = (pool: CostPool): string => (pool === CPU ? 'c' : 'g');
/**
 * The skip links the bound charges: operators between their ends, per operator of the graph (each
 * costs a row per pool, and a feature pyramid's lateral has hundreds between its ends), the
 * largest tensors, whose hand-offs cost most, first.
 */
const SKIP_BETWEEN_OPS_PER_OP = 1;

/** One tenant's part of the LP, as lp-bound.ts builds it. */
export interface TenantTensorsLp {
  readonly lp: BoundLp;
  readonly tenant: SearchTenant;
  /** The tenant's index, for column names. */
  readonly t: number;
  /** The pools the tenant may use: the CPU, and the GPU where it may run there. */
  readonly pools: readonly CostPool[];
  /** An operator's share of the λ requests on a pool. */
  readonly shareOf: (pool: CostPool, opIndex: number) => Terms;
  /** Per unit of λ: a tensor of `miB` at a segment edge on `pool`, read or written, touched by a convolution or not. */
  readonly edgeMs: (pool: CostPool, miB: number, convolution: boolean, written?: boolean) => number;
  /** The least the workers wait per MiB handed in or out of a segment on `pool`, ms. */
  readonly waitPerMiB: (pool: CostPool) => number;
}

/**
 * Charges the tensors that must cross a segment edge whatever the split, at both ends: request
 * inputs where they are read, graph outputs where they are written, an activation read on another
 * pool than its producer's (x ≥ y_reader − y_producer), and one that skips ahead on its producer's
 * pool past an operator on the other pool (SkipLink). A reader's segment takes it in (once per
 * pool, though a placement may read it in several segments there), its producer's hands it out
 * (once), and the workers of both wait on the main thread per MiB. Returns, by pool, what it
 * charges the request's own tensors per unit of λ (a whole-model run's edges).
 */
export function chargeTensors(context: TenantTensorsLp): Map<CostPool, number> {
  const { lp, tenant, t, pools, shareOf, edgeMs, waitPerMiB } = context;
  const { cost, graph, ratePerS } = tenant;
  const split = pools.length > 1;
  const skipsOf = new Map<string, SkipLink[]>();
  if (split)
    for (const link of skipLinks(graph, SKIP_BETWEEN_OPS_PER_OP * graph.ops.length))
      skipsOf.set(link.tensor, [...(skipsOf.get(link.tensor) ?? []), link]);
  const requestEdgesMs = new Map<CostPool, number>();
  const chargeRequestEdge = (pool: CostPool, ms: number, terms: Terms): void => {
    lp.charge(pool, ms, terms);
    requestEdgesMs.set(pool, (requestEdgesMs.get(pool) ?? 0) + ms);
  };
  // Where a tensor must leave its producer's segment on a pool, from either pool's pass: keyed by
  // its index and that pool.
  const handedOut = new Map<string, { pool: CostPool; miB: number; convolution: boolean; bounds: Terms[] }>();
  const handOut = (key: string, pool: CostPool, miB: number, convolution: boolean, bound: Terms): void => {
    const known = handedOut.get(key);
    if (known) known.bounds.push(bound);
    else handedOut.set(key, { pool, miB, convolution, bounds: [bound] });
  };
  const tensors = Object.values(graph.tensors);
  for (const pool of pools) {
    const here = (index: number): Terms => shareOf(pool, index);
    const other = pool === CPU ? GPU : CPU;
    const side = sideOf(pool);
    tensors.forEach((tensor, k) => {
      if (tensor.kind === 'initializer' || tensor.kind === 'constant' || !tensor.bytes) return;
      const miB = tensor.bytes / MiB;
      const tag = `${side}_${t}_${k}`;
      const producer = tensor.producer;
      const convReaders = tensor.consumers.filter((index) => cost.isConvolution(index));
      // What reaching this pool from elsewhere costs its readers: all of it for a request input,
      // for an activation the part of each reader's share its producer's share here does not cover.
      const lower = (readers: readonly number[]): Terms[] =>
        readers.map((index) => (producer === null ? here(index) : difference(here(index), here(producer))));
      const reaches = lp.atLeastEach(`x${tag}`, lower(tensor.consumers));
      const convReaches = lp.atLeastEach(`xc${tag}`, lower(convReaders));
      const convExtraMs = edgeMs(pool, miB, true) - edgeMs(pool, miB, false);
      if (producer === null) {
        chargeRequestEdge(pool, edgeMs(pool, miB, false), reaches);
        if (convReaches.length > 0) chargeRequestEdge(pool, convExtraMs, convReaches);
        return;
      }
      lp.charge(pool, edgeMs(pool, miB, false), reaches);
      lp.charge(pool, convExtraMs, convReaches);
      const producerConv = cost.isConvolution(producer);
      // A graph output is written on its producer's pool whatever reads it, and the request's own
      // bytes count the workers' waits for it (lp-bound.ts).
      if (tensor.isGraphOutput)
        chargeRequestEdge(pool, edgeMs(pool, miB, producerConv, true), here(producer));
      if (!split) return;
      // Crossing into this pool, the reader's segment takes it in, and its worker waits on the
      // main thread per MiB; the producer's segment on the other pool hands it out (below).
      lp.charge(CPU, ratePerS * miB * waitPerMiB(pool), reaches);
      if (!tensor.isGraphOutput) handOut(`${k}_${sideOf(other)}`, other, miB, producerConv, reaches);
      // Skipping ahead on this pool past an operator on the other one, it leaves its producer's
      // segment for another here: share(producer) + share(reader) + (the most of the operators
      // between on the other pool) − 2λ.
      const skipped = lp.atLeastEach(
        `s${tag}`,
        (skipsOf.get(tensor.name) ?? []).map((link, j) =>
          combined(
            [here(link.producer), 1],
            [here(link.reader), 1],
            [
              lp.atLeastEach(
                `m${tag}_${j}`,
                link.between.map((index) => shareOf(other, index)),
              ),
              1,
            ],
            [ALL, -2],
          ),
        ),
      );
      if (skipped.length === 0) return;
      lp.charge(pool, edgeMs(pool, miB, false), skipped);
      lp.charge(CPU, ratePerS * miB * waitPerMiB(pool), skipped);
      if (!tensor.isGraphOutput) handOut(`${k}_${side}`, pool, miB, producerConv, skipped);
    });
  }
  // Each activation handed out of its producer's segment: written there, and its worker waits per
  // MiB, once however many segments read it.
  for (const [key, { pool, miB, convolution, bounds }] of handedOut) {
    const out = lp.atLeastEach(`o_${t}_${key}`, bounds);
    lp.charge(pool, edgeMs(pool, miB, convolution, true), out);
    lp.charge(CPU, ratePerS * miB * waitPerMiB(pool), out);
  }
  return requestEdgesMs;
}
