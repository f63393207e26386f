import { Code, HetschedError } from '../common/index.js';
import type { GraphIR, OpNode } from '../graph/index.js';
import type { Pin } from './pins.js';
import type { Plan } from './plan.js';
import type { ProcessorId } from './processor.js';

/** What one segment of a plan does and moves. */
export interface SegmentExplanation {
  readonly id: number;
  readonly processor: ProcessorId;
  /** Its lane's thread budget (Plan.threads), where it has one. */
  readonly threads?: number;
  readonly operatorCount: number;
  /** Sum of its operators' estimated floating-point operations; null if any estimate is unknown. */
  readonly flops: number | null;
  /** Bytes of the tensors it reads from the request or other segments (weights excluded); null if any size is unknown. */
  readonly bytesIn: number | null;
  /** Bytes of the tensors it hands to other segments or returns as graph outputs; null if any size is unknown. */
  readonly bytesOut: number | null;
  /** Its operator types with their counts, most frequent first, ties by name. */
  readonly operatorTypes: readonly { readonly opType: string; readonly count: number }[];
}

/** A plan summarised for people: per-segment work and traffic, totals and what was pinned. */
export interface PlanExplanation {
  readonly spec: string;
  /** In the plan's (topological) segment order. */
  readonly segments: readonly SegmentExplanation[];
  /** Tensors crossing into a segment: request inputs and hand-offs between segments. */
  readonly boundaryCount: number;
  /** Their bytes summed; null if any size is unknown. */
  readonly boundaryBytes: number | null;
  readonly pinned: readonly Pin[];
  /** Whether sizes and FLOPs come from shapes seen in a run (exact) rather than declared ones. */
  readonly shapesExact: boolean;
  /** The plan's alternate (Plan.alternate), explained alike, with the share of requests it runs. */
  readonly alternate?: { readonly share: number; readonly explanation: PlanExplanation };
}

/**
 * Explains a plan against the graph it was made for. Throws INVALID_ARGUMENT when the plan names
 * an operator the graph does not have (the plan is for another model).
 */
export function explainPlan(graph: GraphIR, plan: Plan): PlanExplanation {
  const byId = new Map(graph.ops.map((op) => [op.id, op]));
  const opOf = (id: string): OpNode => {
    const op = byId.get(id);
    if (!op)
      throw new HetschedError(
        Code.InvalidArgument,
        `the plan names operator '${id}', which the graph does not have`,
      );
    return op;
  };
  const tensorBytes = (name: string): number | null => graph.tensors[name]?.bytes ?? null;
  const segments = plan.segments.map((segment): SegmentExplanation => {
    const ops = segment.ops.map(opOf);
    return {
      id: segment.id,
      processor: segment.processor,
      ...(segment.threads !== undefined && { threads: segment.threads }),
      operatorCount: ops.length,
      flops: sumKnown(ops.map((op) => op.flops)),
      bytesIn: sumKnown(segment.inputs.map(tensorBytes)),
      bytesOut: sumKnown(segment.outputs.map(tensorBytes)),
      operatorTypes: countTypes(ops),
    };
  });
  return {
    spec: plan.spec,
    segments,
    boundaryCount: plan.boundaries.length,
    boundaryBytes: sumKnown(plan.boundaries.map((boundary) => boundary.bytes)),
    pinned: plan.pinned,
    shapesExact: graph.shapesFromRun,
    ...(plan.alternate && {
      alternate: { share: plan.alternate.share, explanation: explainPlan(graph, plan.alternate.plan) },
    }),
  };
}

/** The sum, or null as soon as one term is unknown: a partial sum would read as a total. */
function sumKnown(values: readonly (number | null)[]): number | null {
  let total = 0;
  for (const value of values) {
    if (value === null) return null;
    total += value;
  }
  return total;
}

/** How many operator types a table line names before it summarises the rest. */
const TYPES_SHOWN = 4;
/** Pinned operator ids are listed comma-separated, wrapped to this width: a large model pins hundreds. */
const PIN_LINE_WIDTH = 100;

/**
 * A human-readable table for the CLI: one line per segment (id, processor, operators, GFLOPs,
 * KiB in and out, most frequent operator types), a totals line, then the pinned operators
 * grouped by why they were pinned. '?' stands for an unknown size or FLOP count. A plan with an
 * alternate is followed by the alternate's own table, indented under the share of requests it runs.
 */
export function formatExplanation(explanation: PlanExplanation): string {
  const main = formatRoute(explanation);
  const { alternate } = explanation;
  if (!alternate) return main;
  const indented = formatRoute(alternate.explanation)
    .split('\n')
    .map((line) => `  ${line}`);
  return [main, `${alternateLabel(alternate.share)}:`, ...indented].join('\n');
}

/** How a plan's alternate is introduced: `alternate, for 6.25% of the requests`. */
export function alternateLabel(share: number): string {
  return `alternate, for ${formatShare(share)} of the requests`;
}

/** A share as a percentage that is never rounded to 0 or 100: 0.0625 -> '6.25%', 1e-5 -> '0.001%'. */
export function formatShare(share: number): string {
  let percent = Number((share * 100).toPrecision(3));
  for (let digits = 4; (percent <= 0 || percent >= 100) && digits <= 15; digits++)
    percent = Number((share * 100).toPrecision(digits));
  return `${percent}%`;
}

function formatRoute(explanation: PlanExplanation): string {
  const { segments } = explanation;
  const perProcessor = new Map<string, number>();
  for (const segment of segments)
    perProcessor.set(segment.processor, (perProcessor.get(segment.processor) ?? 0) + 1);
  const split = [...perProcessor].map(([processor, count]) => `${count} on ${processor}`).join(', ');
  const header =
    `plan ${explanation.spec}: ${segments.length} segment(s) (${split}), ` +
    `${explanation.boundaryCount} boundary tensor(s) moving ${kib(explanation.boundaryBytes)} KiB; ` +
    (explanation.shapesExact ? 'shapes from a run' : 'shapes as declared (sizes and FLOPs may be estimates)');
  const gflops = gflopsFormat(segments.map((segment) => segment.flops));
  const rows: string[][] = [
    ['seg', 'processor', 'ops', 'GFLOPs', 'KiB in', 'KiB out', 'operator types'],
    ...segments.map((segment) => [
      String(segment.id),
      segment.threads === undefined ? segment.processor : `${segment.processor} x${segment.threads}`,
      String(segment.operatorCount),
      gflops(segment.flops),
      kib(segment.bytesIn),
      kib(segment.bytesOut),
      typesSummary(segment.operatorTypes),
    ]),
    [
      'total',
      '',
      String(segments.reduce((total, segment) => total + segment.operatorCount, 0)),
      gflops(sumKnown(segments.map((segment) => segment.flops))),
      kib(sumKnown(segments.map((segment) => segment.bytesIn))),
      kib(sumKnown(segments.map((segment) => segment.bytesOut))),
      '',
    ],
  ];
  return [header, ...alignColumns(rows), ...formatPins(explanation.pinned)].join('\n');
}

/** Pins grouped by (wanted processor, reason, detail): a GPU-less run pins hundreds for one reason. */
function formatPins(pinned: readonly Pin[]): string[] {
  if (pinned.length === 0) return ['pinned to cpu: none'];
  const groups = new Map<string, { pin: Pin; ops: string[] }>();
  for (const pin of pinned) {
    const key = JSON.stringify([pin.wanted, pin.processor, pin.reason, pin.detail]);
    const group = groups.get(key) ?? { pin, ops: [] };
    group.ops.push(pin.op);
    groups.set(key, group);
  }
  const lines = [`pinned to cpu: ${pinned.length} operator(s)`];
  for (const { pin, ops } of groups.values()) {
    lines.push(
      `  ${pin.reason} (wanted ${pin.wanted}, runs on ${pin.processor}; ${ops.length}): ${oneLine(pin.detail)}`,
    );
    lines.push(...wrapList(ops.map(oneLine), '    ', PIN_LINE_WIDTH));
  }
  return lines;
}

/** Pads every column to its widest cell: numbers right-aligned, text (processor, types) left. */
function alignColumns(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    });
  const leftAligned = new Set([1, 6]);
  return rows.map((row) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        if (column === row.length - 1) return cell;
        return leftAligned.has(column) ? cell.padEnd(width) : cell.padStart(width);
      })
      .join('  ')
      .trimEnd(),
  );
}

function typesSummary(types: SegmentExplanation['operatorTypes']): string {
  const shown = types.slice(0, TYPES_SHOWN).map(({ opType, count }) => `${count} ${opType}`);
  const rest = types.length - TYPES_SHOWN;
  return rest > 0 ? `${shown.join(', ')}, +${rest} more type(s)` : shown.join(', ');
}

/**
 * A GFLOPs formatter with one number of decimals for the whole table (aligned, comparable), enough
 * to give the largest segment three significant digits: a small model's segments do a few MFLOPs,
 * which a fixed two decimals would all show as 0.
 */
function gflopsFormat(flops: readonly (number | null)[]): (flops: number | null) => string {
  const largest = Math.max(0, ...flops.map((value) => value ?? 0)) / 1e9;
  const decimals =
    largest >= 100 || largest === 0 ? 0 : Math.min(6, Math.max(1, 2 - Math.floor(Math.log10(largest))));
  const smallest = 10 ** -decimals;
  return (value) => {
    if (value === null) return '?';
    if (value === 0) return '0';
    const gflops = value / 1e9;
    return gflops > 0 && gflops < smallest / 2 ? `<${smallest.toFixed(decimals)}` : gflops.toFixed(decimals);
  };
}

function kib(bytes: number | null): string {
  if (bytes === null) return '?';
  // A few bytes (a scalar, a class score) would read as 0.0: say that something crosses.
  return bytes > 0 && bytes < 0.05 * 1024 ? '<0.1' : (bytes / 1024).toFixed(1);
}

/** Items joined by ', ' on lines no wider than `width` (an item longer than that gets a line of its own). */
function wrapList(items: readonly string[], indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const [index, item] of items.entries()) {
    const text = index < items.length - 1 ? `${item},` : item;
    if (line !== '' && indent.length + line.length + 1 + text.length > width) {
      lines.push(`${indent}${line}`);
      line = text;
    } else {
      line = line === '' ? text : `${line} ${text}`;
    }
  }
  if (line !== '') lines.push(`${indent}${line}`);
  return lines;
}

/** Operator ids and details come from the model file: keep one item on one line. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

function countTypes(ops: readonly OpNode[]): { opType: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const op of ops) counts.set(op.opType, (counts.get(op.opType) ?? 0) + 1);
  return [...counts]
    .map(([opType, count]) => ({ opType, count }))
    .sort((a, b) => b.count - a.count || (a.opType < b.opType ? -1 : a.opType > b.opType ? 1 : 0));
}
