import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFeeds, modelPath } from '../src/models/index.js';
import type { Plan, PlanExplanation } from '../src/partition/index.js';
import { tensorToJson } from '../src/tensor/index.js';
import { runCli } from './helpers/cli.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hetsched-explain-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('hetsched explain', () => {
  it('prints the plan and its explanation as JSON and writes DOT and SVG', async () => {
    const dot = join(scratch, 'cls.dot');
    const svg = join(scratch, 'cls.svg');
    const result = await runCli([
      'explain',
      '--model',
      modelPath('ppocr-cls'),
      '--placement',
      'random:3',
      '--gpu',
      'none',
      '--json',
      '--dot',
      dot,
      '--svg',
      svg,
    ]);
    expect(result.stderr).toContain(`wrote ${dot}`);
    expect(result.code).toBe(0);
    const { plan, explanation } = JSON.parse(result.stdout) as { plan: Plan; explanation: PlanExplanation };
    expect(plan.spec).toBe('random:3');
    // random:3 asks for the GPU for about half the operators; with no GPU allowed, every one comes back.
    expect(plan.pinned.length).toBeGreaterThan(0);
    expect(new Set(plan.pinned.map((pin) => pin.reason))).toEqual(new Set(['no-gpu']));
    expect(Object.values(plan.placement).every((processor) => processor === 'cpu')).toBe(true);
    expect(explanation.pinned).toEqual(plan.pinned);
    expect(explanation.segments.map((segment) => segment.id)).toEqual(
      plan.segments.map((segment) => segment.id),
    );
    expect(explanation.segments.reduce((total, segment) => total + segment.operatorCount, 0)).toBe(
      Object.keys(plan.placement).length,
    );
    const dotText = await readFile(dot, 'utf8');
    expect(dotText).toMatch(/^digraph plan \{/);
    expect([...dotText.matchAll(/subgraph cluster_\d+ \{/g)]).toHaveLength(plan.segments.length);
    expect(await readFile(svg, 'utf8')).toContain('<svg');
  });

  it('prints a table naming every segment, with exact shapes after a run on --inputs', async () => {
    const inputs = join(scratch, 'cls-inputs.json');
    const feeds = exampleFeeds('ppocr-cls', { seed: 4 });
    await writeFile(
      inputs,
      JSON.stringify({
        inputs: Object.fromEntries(
          Object.entries(feeds).map(([name, tensor]) => [name, tensorToJson(tensor)]),
        ),
      }),
    );
    const args = ['explain', '--model', modelPath('ppocr-cls'), '--placement', 'random:3', '--gpu', 'none'];
    const [table, json] = await Promise.all([
      runCli([...args, '--inputs', inputs]),
      runCli([...args, '--inputs', inputs, '--json']),
    ]);
    expect(table.stderr).not.toContain('hetsched:');
    expect(table.code).toBe(0);
    const { plan } = JSON.parse(json.stdout) as { plan: Plan };
    expect(table.stdout).toMatch(/^plan random:3: \d+ segment\(s\) .*; shapes from a run$/m);
    for (const segment of plan.segments)
      expect(table.stdout).toMatch(
        new RegExp(`^\\s*${segment.id}\\s+${segment.processor}\\s+${segment.ops.length}\\s`, 'm'),
      );
    expect(table.stdout).toMatch(/^total\s+\d+\s+\d+\.\d+\s+\d+\.\d+/m);
    expect(table.stdout).toContain(`pinned to cpu: ${plan.pinned.length} operator(s)`);
  });

  it('explains a plan file with an alternate: its share and its own table after the plan’s', async () => {
    const planOf = async (placement: string) => {
      const args = ['explain', '--model', modelPath('ppocr-cls'), '--placement', placement, '--gpu', 'none'];
      return (JSON.parse((await runCli([...args, '--json'])).stdout) as { plan: Plan }).plan;
    };
    const [whole, halves] = await Promise.all([planOf('all-cpu'), planOf('chunks:2')]);
    const file = join(scratch, 'cls-split.json');
    await writeFile(file, JSON.stringify({ ...whole, alternate: { share: 1 / 16, plan: halves } }));
    const args = ['explain', '--model', modelPath('ppocr-cls'), '--placement', file, '--gpu', 'none'];
    const dot = join(scratch, 'cls-split.dot');
    const alternateDot = join(scratch, 'cls-split.alternate.dot');
    const [table, json] = await Promise.all([runCli([...args, '--dot', dot]), runCli([...args, '--json'])]);
    expect(table.code).toBe(0);
    // Each route drawn to its own file: the plan's one segment, the alternate's two beside it.
    expect(table.stderr).toContain(`wrote ${dot}`);
    expect(table.stderr).toContain(`wrote ${alternateDot}`);
    const clusters = (text: string) => [...text.matchAll(/subgraph cluster_\d+ \{/g)].length;
    expect(clusters(await readFile(dot, 'utf8'))).toBe(1);
    const alternateText = await readFile(alternateDot, 'utf8');
    expect(alternateText).toContain('alternate, for 6.25% of the requests: plan chunks:2');
    expect(clusters(alternateText)).toBe(2);
    const { plan, explanation } = JSON.parse(json.stdout) as { plan: Plan; explanation: PlanExplanation };
    expect(plan.alternate).toEqual({ share: 1 / 16, plan: halves });
    expect(explanation.alternate?.share).toBe(1 / 16);
    expect(explanation.alternate?.explanation.segments).toHaveLength(2);
    expect(table.stdout).toMatch(/^plan all-cpu: 1 segment\(s\) \(1 on cpu\)/);
    expect(table.stdout).toMatch(
      /^alternate, for 6\.25% of the requests:\n {2}plan chunks:2: 2 segment\(s\) \(1 on cpu, 1 on cpu:1\)/m,
    );
  });

  it('rejects an unknown --gpu provider before loading anything', async () => {
    const result = await runCli(['explain', '--model', 'missing.onnx', '--gpu', 'tpu']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("option '--gpu <provider>' argument 'tpu' is invalid");
  });
});
