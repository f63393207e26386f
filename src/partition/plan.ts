import { z } from 'zod';
import { Code, HetschedError } from '../common/index.js';
import type { GraphIR } from '../graph/index.js';
import type { Pin } from './pins.js';
import type { Placement } from './placement-spec.js';
import { isGpu, isProcessorId, type ProcessorId } from './processor.js';
import { type Segment, segmentGraph } from './segments.js';

export const PLAN_KIND = 'hetsched.plan';
export const PLAN_VERSION = 1;

/** A tensor crossing from one segment (or the request) to others: what each switch of processor moves. */
export interface Boundary {
  readonly tensor: string;
  /** null when its shape is not known. */
  readonly bytes: number | null;
  /** Producing segment, or null for a graph input. */
  readonly from: number | null;
  readonly to: readonly number[];
}

/**
 * The scheduling IR: where every operator of one model runs, the segments that follow from it
 * and the tensors that cross between them. What the search optimises, what the runtime executes,
 * and what users read, write and apply as JSON.
 */
export interface Plan {
  readonly kind: typeof PLAN_KIND;
  readonly version: typeof PLAN_VERSION;
  readonly model: {
    readonly sha256: string;
    readonly inputShapes: Readonly<Record<string, readonly number[]>>;
  };
  /** How the placement was asked for (all-cpu, all-gpu, random:SEED, explicit, or a search's name). */
  readonly spec: string;
  readonly seed?: number;
  /** Operator id -> processor, after pinning. */
  readonly placement: Placement;
  /**
   * Thread budgets: intra-op threads of the CPU sessions of a CPU lane ('cpu' or 'cpu:N'), for the
   * lanes given one. A lane not listed runs at the server's --intra-op-threads.
   */
  readonly threads?: Readonly<Record<string, number>>;
  readonly pinned: readonly Pin[];
  readonly segments: readonly PlanSegment[];
  readonly boundaries: readonly Boundary[];
  /**
   * Another placement of the same model that a fixed share of its requests run instead: when one
   * pool is saturated and another has slack, handing it a share of the requests (request-level
   * splitting, which the search's LP relaxation already assumes) serves more than any one
   * placement can. Last, so a plan without one serialises as before.
   */
  readonly alternate?: PlanAlternate;
}

/** The second route of a plan: which placement, for which share of the requests. */
export interface PlanAlternate {
  /** The share of the model's requests that run `plan`, spread evenly (see the runtime's router); 0 < share < 1. */
  readonly share: number;
  /** A plan of the same model (same sha256), without an alternate of its own, placed differently. */
  readonly plan: Plan;
}

export interface PlanSegment {
  readonly id: number;
  readonly processor: ProcessorId;
  /** Its lane's thread budget (Plan.threads), where it has one. */
  readonly threads?: number;
  /** Operator ids in topological order. */
  readonly ops: readonly string[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export interface PlanMeta {
  readonly sha256: string;
  readonly inputShapes: Readonly<Record<string, readonly number[]>>;
  readonly spec: string;
  readonly seed?: number;
  /** Thread budgets by CPU lane (Plan.threads); each lane must hold operators. */
  readonly threads?: Readonly<Record<string, number>>;
  /** Another placement for a share of the requests (Plan.alternate), checked by makePlan. */
  readonly alternate?: PlanAlternate;
}

/** The most intra-op threads a budget may ask for (as the server's --intra-op-threads). */
export const MAX_THREADS = 256;

/** What an alternate with an alternate of its own is refused with: routes are one level deep. */
export const NESTED_ALTERNATE_MESSAGE =
  'alternate.plan: an alternate plan cannot have an alternate of its own';

/**
 * Builds the plan of a (pinned) placement: segments, boundaries and all.
 * @throws HetschedError INVALID_ARGUMENT for a thread budget on a GPU, on a lane without operators,
 * or out of 1..MAX_THREADS; for an alternate whose share is not in (0, 1), that is for another
 * model, has an alternate of its own, or places every operator as this plan does.
 */
export function makePlan(graph: GraphIR, placement: Placement, pinned: readonly Pin[], meta: PlanMeta): Plan {
  const segments = segmentGraph(graph, placement);
  const threads =
    meta.threads && Object.keys(meta.threads).length > 0 ? checkThreads(meta.threads, placement) : undefined;
  const alternate = meta.alternate && checkAlternate(graph, meta.alternate, meta.sha256, placement, threads);
  return {
    kind: PLAN_KIND,
    version: PLAN_VERSION,
    model: { sha256: meta.sha256, inputShapes: meta.inputShapes },
    spec: meta.spec,
    ...(meta.seed !== undefined && { seed: meta.seed }),
    placement,
    ...(threads && { threads }),
    pinned,
    segments: segments.map((segment) => toPlanSegment(graph, segment, threads)),
    boundaries: boundariesOf(graph, segments),
    ...(alternate && { alternate }),
  };
}

/**
 * Whether two plans of one graph run alike: every operator on the same processor and every lane
 * at the same budget (thread budgets are in lane order: see checkThreads).
 */
export function sameRoute(
  graph: GraphIR,
  a: Pick<Plan, 'placement' | 'threads'>,
  b: Pick<Plan, 'placement' | 'threads'>,
): boolean {
  return (
    graph.ops.every((op) => a.placement[op.id] === b.placement[op.id]) &&
    JSON.stringify(a.threads ?? {}) === JSON.stringify(b.threads ?? {})
  );
}

function checkAlternate(
  graph: GraphIR,
  alternate: PlanAlternate,
  sha256: string,
  placement: Placement,
  threads: Plan['threads'],
): PlanAlternate {
  const { share, plan } = alternate;
  // NaN fails every comparison: it is refused with the rest.
  if (!(typeof share === 'number' && share > 0 && share < 1))
    invalid(
      `alternate.share: the share of requests the alternate runs must be above 0 and below 1, got ${share}`,
    );
  if (plan.alternate !== undefined) invalid(NESTED_ALTERNATE_MESSAGE);
  if (plan.model.sha256 !== sha256)
    invalid('alternate.plan: the alternate is for another model (its sha256 differs)');
  if (sameRoute(graph, plan, { placement, ...(threads && { threads }) }))
    invalid(
      'alternate.plan: the alternate places every operator (and thread budget) as the plan does; it would change nothing',
    );
  // A fresh object: nothing but the share and the plan is carried.
  return { share, plan };
}

/** Thread budgets, checked and in lane order (so equal plans serialise alike). */
function checkThreads(
  threads: Readonly<Record<string, number>>,
  placement: Placement,
): Record<string, number> {
  const used = new Set(Object.values(placement));
  const lanes = Object.keys(threads).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const lane of lanes) {
    const count = threads[lane];
    if (!isProcessorId(lane) || isGpu(lane))
      invalid(
        `threads: '${lane}' is not a CPU lane ('cpu' or 'cpu:N'); only CPU sessions take a thread budget`,
      );
    if (!used.has(lane)) invalid(`threads: no operator is placed on '${lane}'`);
    if (!(Number.isInteger(count) && count !== undefined && count >= 1 && count <= MAX_THREADS))
      invalid(`threads: '${lane}' must have 1 to ${MAX_THREADS} threads, got ${count}`);
  }
  return Object.fromEntries(lanes.map((lane) => [lane, threads[lane] as number]));
}

function invalid(message: string): never {
  throw new HetschedError(Code.InvalidArgument, message);
}

/**
 * The same placement with every CPU lane it uses at `threads` intra-op threads: a plan to hand to
 * parsePlan (its segments are left out, to be rebuilt with the budgets). An alternate is left out
 * too: this measures one placement at a budget (a request given its own placement runs the main
 * placement only), and one budget for both routes could make them equal, which parsePlan refuses.
 */
export function withLaneThreads(plan: Plan, threads: number): Record<string, unknown> {
  const lanes = [...new Set(Object.values(plan.placement))].filter((processor) => !isGpu(processor));
  return {
    kind: plan.kind,
    version: plan.version,
    model: plan.model,
    spec: plan.spec,
    ...(plan.seed !== undefined && { seed: plan.seed }),
    placement: plan.placement,
    pinned: plan.pinned,
    threads: Object.fromEntries(lanes.map((lane) => [lane, threads])),
  };
}

/** The segments a plan's placement implies, with operator indices (what the partitioner needs). */
export function planSegments(graph: GraphIR, plan: Plan): Segment[] {
  return segmentGraph(graph, plan.placement);
}

const processorSchema = z
  .string()
  .refine(isProcessorId, { message: "a processor is 'cpu', 'cpu:N' or 'gpu:N'" });

const planSchema = z.object({
  kind: z.literal(PLAN_KIND),
  version: z.literal(PLAN_VERSION),
  model: z.object({ sha256: z.string(), inputShapes: z.record(z.string(), z.array(z.number().int())) }),
  spec: z.string().default('explicit'),
  seed: z.number().int().optional(),
  placement: z.record(z.string(), processorSchema),
  threads: z.record(z.string(), z.number()).optional(),
  pinned: z
    .array(
      z.object({
        op: z.string(),
        wanted: processorSchema,
        processor: processorSchema,
        reason: z.enum(['no-gpu', 'gpu-unverified', 'gpu-unsupported', 'gpu-inaccurate']),
        detail: z.string(),
      }),
    )
    .default([]),
  segments: z
    .array(
      z.object({
        id: z.number().int(),
        processor: processorSchema,
        threads: z.number().int().optional(),
        ops: z.array(z.string()),
        inputs: z.array(z.string()),
        outputs: z.array(z.string()),
      }),
    )
    .optional(),
  boundaries: z.unknown().optional(),
  // The nested plan is checked by parsePlan itself, against the same model.
  alternate: z.object({ share: z.number(), plan: z.unknown() }).optional(),
});

/**
 * Reads a plan (parsed JSON) and checks it against the model it is for: the schema, the model's
 * sha256, every operator placed on a known processor, and — when the plan lists segments — that
 * they are exactly what its placement implies. Returns the plan rebuilt from its placement, so
 * what runs is always consistent. INVALID_ARGUMENT says what is wrong.
 */
export function parsePlan(value: unknown, graph: GraphIR, sha256: string): Plan {
  return parseRoute(value, graph, sha256, false);
}

/** parsePlan, of a plan or (nested) of an alternate's plan. */
function parseRoute(value: unknown, graph: GraphIR, sha256: string, nested: boolean): Plan {
  const parsed = planSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'plan'}: ${issue.message}`,
    );
    throw new HetschedError(
      Code.InvalidArgument,
      `not a valid ${PLAN_KIND} v${PLAN_VERSION}: ${problems.join('; ')}`,
    );
  }
  const input = parsed.data;
  if (input.model.sha256 !== sha256) {
    throw new HetschedError(
      Code.InvalidArgument,
      `the plan is for the model with sha256 ${input.model.sha256.slice(0, 12)}…, not this one (${sha256.slice(0, 12)}…)`,
    );
  }
  const known = new Set(graph.ops.map((op) => op.id));
  const unknown = Object.keys(input.placement).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new HetschedError(
      Code.InvalidArgument,
      `the plan places operators the model does not have: ${unknown.slice(0, 5).join(', ')}`,
    );
  }
  const missing = graph.ops.filter((op) => !input.placement[op.id]).map((op) => op.id);
  if (missing.length > 0) {
    throw new HetschedError(
      Code.InvalidArgument,
      `the plan does not place ${missing.length} operator(s): ${missing.slice(0, 5).join(', ')}`,
    );
  }
  // Refused before it is read: an alternate's alternate would recurse on the caller's say-so.
  if (nested && input.alternate !== undefined) invalid(NESTED_ALTERNATE_MESSAGE);
  const alternate = input.alternate && {
    share: input.alternate.share,
    plan: parseAlternatePlan(input.alternate.plan, graph, sha256),
  };
  const placement = input.placement as Record<string, ProcessorId>;
  const plan = makePlan(graph, placement, input.pinned as Pin[], {
    sha256,
    inputShapes: input.model.inputShapes,
    spec: input.spec,
    ...(input.seed !== undefined && { seed: input.seed }),
    ...(input.threads && { threads: input.threads }),
    ...(alternate && { alternate }),
  });
  if (input.segments && JSON.stringify(input.segments) !== JSON.stringify(plan.segments)) {
    throw new HetschedError(
      Code.InvalidArgument,
      "the plan's segments are not the ones its placement and thread budgets imply; remove them or fix the placement",
    );
  }
  return plan;
}

/** An alternate's plan, parsed as a plan of the same model; what is wrong with it says where. */
function parseAlternatePlan(value: unknown, graph: GraphIR, sha256: string): Plan {
  try {
    return parseRoute(value, graph, sha256, true);
  } catch (error) {
    if (!(error instanceof HetschedError) || error.message === NESTED_ALTERNATE_MESSAGE) throw error;
    throw new HetschedError(error.code, `alternate.plan: ${error.message}`, { cause: error });
  }
}

function toPlanSegment(
  graph: GraphIR,
  segment: Segment,
  threads: Readonly<Record<string, number>> | undefined,
): PlanSegment {
  const budget = threads?.[segment.processor];
  return {
    id: segment.id,
    processor: segment.processor,
    ...(budget !== undefined && { threads: budget }),
    ops: segment.ops.map((index) => graph.ops[index]?.id ?? String(index)),
    inputs: segment.inputs,
    outputs: segment.outputs,
  };
}

function boundariesOf(graph: GraphIR, segments: readonly Segment[]): Boundary[] {
  const producedBy = new Map<string, number>();
  for (const segment of segments) for (const name of segment.outputs) producedBy.set(name, segment.id);
  const readers = new Map<string, number[]>();
  for (const segment of segments) {
    for (const name of segment.inputs) {
      const list = readers.get(name) ?? [];
      list.push(segment.id);
      readers.set(name, list);
    }
  }
  return [...readers].map(([tensor, to]) => ({
    tensor,
    bytes: graph.tensors[tensor]?.bytes ?? null,
    from: producedBy.get(tensor) ?? null,
    to,
  }));
}
