import { describe, expect, it } from 'vitest';
import { Code } from '../common/index.js';
import { buildGraph, type GraphIR } from '../graph/index.js';
import { decodeModel } from '../onnx/index.js';
import { synthModel } from '../synth/index.js';
import { pinToCpu } from './pins.js';
import { expandPlacement } from './placement-spec.js';
import { makePlan, type Plan } from './plan.js';
import { dotString, planToDot } from './plan-dot.js';
import { renderSvg } from './render-svg.js';

const graph = buildGraph(decodeModel(synthModel({ kind: 'branches', operators: 30, seed: 1 }).bytes));
const META = { sha256: 'synthetic', inputShapes: {} };

function randomPlan(of: GraphIR, seed: number): Plan {
  return makePlan(of, expandPlacement(of, { kind: 'random', seed }), [], { ...META, spec: `random:${seed}` });
}

const count = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].length;

describe('planToDot', () => {
  const plan = randomPlan(graph, 7);
  const dot = planToDot(graph, plan);

  it('draws one cluster per segment holding its operators, filled by processor', () => {
    expect(count(dot, /subgraph cluster_\d+ \{/g)).toBe(plan.segments.length);
    expect(dot).toContain('subgraph cluster_legend {');
    for (const segment of plan.segments) {
      const start = dot.indexOf(`subgraph cluster_${segment.id} {`);
      const body = dot.slice(start, dot.indexOf('\n  }', start));
      expect(body).toContain(segment.processor === 'cpu' ? 'fillcolor="#dbe8f6"' : 'fillcolor="#d8f0cf"');
      expect(count(body, /^ {4}op\d+ \[/gm)).toBe(segment.ops.length);
    }
    // Every operator drawn exactly once.
    expect(count(dot, /^ {4}op\d+ \[/gm)).toBe(graph.ops.length);
  });

  it('labels each boundary once per segment it enters, and no other edge', () => {
    const labelled = count(dot, /-> op\d+ \[[^\n]*label="[\d.?]+ KiB"/g);
    expect(labelled).toBe(plan.boundaries.reduce((total, boundary) => total + boundary.to.length, 0));
    expect(count(dot, /-> op\d+ \[[^\n]*penwidth=2/g)).toBeGreaterThanOrEqual(labelled);
    expect(count(dot, /^ {2}in\d+ \[shape=invhouse/gm)).toBe(graph.inputs.length);
    expect(count(dot, /^ {2}out\d+ \[shape=house/gm)).toBe(graph.outputs.length);
  });

  it('marks pinned operators with a dashed red border and their reason', () => {
    const { placement, pinned } = pinToCpu(
      graph,
      expandPlacement(graph, { kind: 'random', seed: 7 }),
      new Map([['gpu:0', { available: false, detail: 'no GPU here', nodes: new Map() }]]),
    );
    const pinnedDot = planToDot(graph, makePlan(graph, placement, pinned, { ...META, spec: 'random:7' }));
    expect(pinned.length).toBeGreaterThan(0);
    // One per pinned operator, plus the legend's sample.
    expect(count(pinnedDot, /style="rounded,filled,dashed"/g)).toBe(pinned.length + 1);
    expect(count(pinnedDot, /pinned to cpu \(wanted gpu:0\): no-gpu: no GPU here/g)).toBe(pinned.length);
  });

  it('renders with Graphviz', async () => {
    const svg = await renderSvg(dot);
    expect(svg).toContain('<svg');
    // Graphviz writes each cluster as a group of class "cluster": the segments and the legend.
    expect(count(svg, /class="cluster"/g)).toBe(plan.segments.length + 1);
  });
});

describe('DOT escaping', () => {
  it('escapes quotes, backslashes and line breaks', () => {
    expect(dotString('say "hi" \\ there\r\nnext\tcol')).toBe('"say \\"hi\\" \\\\ there\\nnext col"');
  });

  it('keeps an awkward operator id and title intact through Graphviz', async () => {
    const awkward = 'a "q" \\ b\nc';
    const renamed: GraphIR = {
      ...graph,
      ops: graph.ops.map((op, index) => (index === 0 ? { ...op, id: awkward } : op)),
    };
    const dot = planToDot(renamed, randomPlan(renamed, 3), { title: 'model "x"\\y' });
    expect(dot).toContain('a \\"q\\" \\\\ b\\nc');
    const svg = await renderSvg(dot);
    expect(svg).toContain('a &quot;q&quot; \\ b');
    expect(svg).toContain('model &quot;x&quot;\\y');
  });

  it('rejects invalid DOT with INVALID_ARGUMENT', async () => {
    await expect(renderSvg('digraph { a -> }')).rejects.toMatchObject({ code: Code.InvalidArgument });
  });
});
