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
}

/** The most intra-op threads a budget may ask for (as the server's --intra-op-threads). */
export const MAX_THREADS = 256;

/**
 * Builds the plan of a (pinned) placement: segments, boundaries and all.
 * @throws HetschedError INVALID_ARGUMENT for a thread budget on a GPU, on a lane without operators, or out of 1..MAX_THREADS.
 */
export function makePlan(graph: GraphIR, placement: Placement, pinned: readonly Pin[], meta: PlanMeta): Plan {
  const segments = segmentGraph(graph, placement);
  const threads =
    meta.threads && Object.keys(meta.threads).length > 0 ? checkThreads(meta.threads, placement) : undefined;
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
  };
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
 * parsePlan (its segments are left out, to be rebuilt with the budgets).
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
});

/**
 * Reads a plan (parsed JSON) and checks it against the model it is for: the schema, the model's
 * sha256, every operator placed on a known processor, and — when the plan lists segments — that
 * they are exactly what its placement implies. Returns the plan rebuilt from its placement, so
 * what runs is always consistent. INVALID_ARGUMENT says what is wrong.
 */
export function parsePlan(value: unknown, graph: GraphIR, sha256: string): Plan {
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
  const placement = input.placement as Record<string, ProcessorId>;
  const plan = makePlan(graph, placement, input.pinned as Pin[], {
    sha256,
    inputShapes: input.model.inputShapes,
    spec: input.spec,
    ...(input.seed !== undefined && { seed: input.seed }),
    ...(input.threads && { threads: input.threads }),
  });
  if (input.segments && JSON.stringify(input.segments) !== JSON.stringify(plan.segments)) {
    throw new HetschedError(
      Code.InvalidArgument,
      "the plan's segments are not the ones its placement and thread budgets imply; remove them or fix the placement",
    );
  }
  return plan;
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
