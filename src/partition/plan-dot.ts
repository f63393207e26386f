import type { GraphIR, OpNode, TensorInfo } from '../graph/index.js';
import type { Pin } from './pins.js';
import type { Plan, PlanSegment } from './plan.js';
import type { ProcessorId } from './processor.js';

/** Options of {@link planToDot}. */
export interface PlanDotOptions {
  /** First line of the graph's label; default `plan <spec>`. */
  readonly title?: string;
}

const CPU_FILL = '#dbe8f6';
/** One fill per GPU index, cycled: light enough that black node text stays legible on it. */
const GPU_FILLS = ['#d8f0cf', '#fde0c2', '#e4daf4', '#f7d4de', '#d2eeee'];
const IO_FILL = '#fff4b8';
const PINNED_COLOUR = '#d62728';
/** Ids longer than this (ONNX exporters' path-like names) would widen every node: only the type is shown. */
const MAX_ID_IN_LABEL = 24;

/**
 * Graphviz DOT of a partitioned graph: one cluster per segment, filled by processor (with a
 * legend), operators labelled by type, tensors as edges — boundary edges bold and labelled with
 * their size — graph inputs and outputs as house shapes, and operators pinned back to the CPU
 * drawn with a dashed red border and the reason in their tooltip. Sized for models of hundreds
 * of operators: small fonts, top-to-bottom, labels only on boundary edges.
 */
export function planToDot(graph: GraphIR, plan: Plan, options: PlanDotOptions = {}): string {
  const title = options.title ?? `plan ${plan.spec}`;
  const opById = new Map(graph.ops.map((op) => [op.id, op]));
  const segmentOfOp = new Map<number, PlanSegment>();
  for (const segment of plan.segments)
    for (const id of segment.ops) {
      const op = opById.get(id);
      if (op) segmentOfOp.set(op.index, segment);
    }
  const pins = new Map(plan.pinned.map((pin) => [pin.op, pin]));

  const lines = [
    'digraph plan {',
    `  graph [label=${label([title, summary(plan)])}, labelloc=t, fontname="Helvetica", fontsize=12, rankdir=TB, nodesep=0.15, ranksep=0.3];`,
    '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica", fontsize=8, height=0.25, margin="0.05,0.02", penwidth=0.8];',
    '  edge [color="#555555", arrowsize=0.5, penwidth=0.7, fontname="Helvetica", fontsize=7];',
    ...legend(plan),
  ];
  graph.inputs.forEach((name, index) => {
    lines.push(
      `  in${index} [shape=invhouse, fillcolor="${IO_FILL}", label=${label(tensorLabel(graph, name))}];`,
    );
  });
  for (const segment of plan.segments) {
    const fill = processorFill(segment.processor);
    lines.push(
      `  subgraph cluster_${segment.id} {`,
      `    label=${label([`segment ${segment.id}: ${segment.processor}, ${segment.ops.length} op(s)`])}; style="filled,rounded"; fillcolor="${fill}"; color="#888888"; fontsize=10;`,
    );
    for (const id of segment.ops) {
      const op = opById.get(id);
      if (op) lines.push(`    ${opNode(op, segment.processor, pins.get(op.id))}`);
    }
    lines.push('  }');
  }
  graph.outputs.forEach((name, index) => {
    lines.push(
      `  out${index} [shape=house, fillcolor="${IO_FILL}", label=${label(tensorLabel(graph, name))}];`,
    );
  });
  lines.push(...edges(graph, segmentOfOp), '}');
  return `${lines.join('\n')}\n`;
}

/**
 * A DOT quoted string holding `text` verbatim: backslashes and quotes escaped, line breaks as
 * DOT's `\n` and other control characters as spaces (a raw newline would end a label line
 * where the model author did not mean one; a raw quote would end the string).
 */
export function dotString(text: string): string {
  return `"${escapeText(text)}"`;
}

function escapeText(text: string): string {
  let escaped = '';
  for (const char of text.replace(/\r\n?/g, '\n')) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\' || char === '"') escaped += `\\${char}`;
    else if (char === '\n') escaped += '\\n';
    else escaped += code < 0x20 || code === 0x7f ? ' ' : char;
  }
  return escaped;
}

/** A quoted multi-line label: each line escaped on its own, joined by DOT's line break. */
function label(lines: readonly string[]): string {
  return `"${lines.map(escapeText).join('\\n')}"`;
}

function summary(plan: Plan): string {
  return `${plan.segments.length} segment(s), ${plan.boundaries.length} boundary tensor(s), ${plan.pinned.length} operator(s) pinned to cpu`;
}

function processorFill(processor: ProcessorId): string {
  if (processor === 'cpu') return CPU_FILL;
  const index = Number(processor.slice('gpu:'.length));
  return GPU_FILLS[index % GPU_FILLS.length] ?? CPU_FILL;
}

function legend(plan: Plan): string[] {
  const processors = [...new Set(plan.segments.map((segment) => segment.processor))].sort();
  const lines = [
    '  subgraph cluster_legend {',
    '    label="legend"; style=rounded; color="#bbbbbb"; fontsize=9;',
  ];
  processors.forEach((processor, index) => {
    lines.push(
      `    legend${index} [label=${dotString(processor)}, fillcolor="${processorFill(processor)}"];`,
    );
  });
  if (plan.pinned.length > 0)
    lines.push(
      `    legend_pinned [label="pinned to cpu", color="${PINNED_COLOUR}", style="rounded,filled,dashed", penwidth=1.5];`,
    );
  lines.push('  }');
  return lines;
}

function opNode(op: OpNode, processor: ProcessorId, pin: Pin | undefined): string {
  const text = op.id.length <= MAX_ID_IN_LABEL && op.id !== op.opType ? [op.opType, op.id] : [op.opType];
  const tooltip = [
    op.id,
    `${op.opType} on ${processor}`,
    op.flops === null ? 'FLOPs unknown' : `${op.flops} FLOPs`,
    ...(pin ? [`pinned to ${pin.processor} (wanted ${pin.wanted}): ${pin.reason}: ${pin.detail}`] : []),
  ];
  const pinned = pin ? `, color="${PINNED_COLOUR}", style="rounded,filled,dashed", penwidth=1.5` : '';
  return `op${op.index} [label=${label(text)}, tooltip=${label(tooltip)}${pinned}];`;
}

function tensorLabel(graph: GraphIR, name: string): string[] {
  const tensor = graph.tensors[name];
  return tensor ? [name, `${tensor.dtype}[${(tensor.dims ?? ['?']).join(',')}]`] : [name];
}

/**
 * One edge per (producer, reader, tensor). An edge into another segment is a boundary: bold, and
 * labelled with its size on its first edge into each segment (the tensor moves once per segment,
 * however many of its operators read it).
 */
function edges(graph: GraphIR, segmentOfOp: ReadonlyMap<number, PlanSegment>): string[] {
  const inputIndex = new Map(graph.inputs.map((name, index) => [name, index]));
  const labelled = new Set<string>();
  const lines: string[] = [];
  const source = (tensor: TensorInfo): string | undefined =>
    tensor.producer !== null
      ? `op${tensor.producer}`
      : inputIndex.has(tensor.name)
        ? `in${inputIndex.get(tensor.name)}`
        : undefined;
  for (const op of graph.ops) {
    const implicit = new Set(op.implicitInputs);
    const target = segmentOfOp.get(op.index);
    for (const name of new Set([...op.inputs, ...op.implicitInputs])) {
      const tensor = graph.tensors[name];
      // Weights travel inside their segments' models; drawing them would double the edge count.
      if (!tensor || tensor.kind === 'initializer' || tensor.kind === 'constant') continue;
      const from = source(tensor);
      if (from === undefined) continue;
      const attributes = [`tooltip=${label(tensorLabel(graph, name))}`];
      const boundary = tensor.producer === null || segmentOfOp.get(tensor.producer) !== target;
      if (boundary) {
        attributes.push('penwidth=2', 'color="#222222"');
        const key = JSON.stringify([name, target?.id ?? null]);
        if (!labelled.has(key)) {
          labelled.add(key);
          attributes.push(`label=${dotString(tensor.bytes === null ? '? KiB' : `${kib(tensor.bytes)} KiB`)}`);
        }
      }
      // Reads from inside an If/Loop/Scan body: not a listed input of the node itself.
      if (implicit.has(name) && !op.inputs.includes(name)) attributes.push('style=dashed');
      lines.push(`  ${from} -> op${op.index} [${attributes.join(', ')}];`);
    }
  }
  graph.outputs.forEach((name, index) => {
    const tensor = graph.tensors[name];
    const from = tensor && source(tensor);
    if (from !== undefined) lines.push(`  ${from} -> out${index};`);
  });
  return lines;
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}
