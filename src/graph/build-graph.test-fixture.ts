import { expect } from 'vitest';
import { decodeModel, type ModelParts, modelBytes, valueInfo } from '../onnx/index.js';
import type { GraphIR } from './graph-types.js';

/**
 * Helpers for buildGraph's tests, shared by the build-graph-*.test.ts files. Not part of the graph
 * stage: nothing outside tests imports this file.
 */

/** A decoded model named 'test', with input x and output y (float32 [1, 8]) unless `parts` says otherwise. */
export function model(parts: Partial<ModelParts> & Pick<ModelParts, 'nodes'>) {
  return decodeModel(
    modelBytes({
      graphName: 'test',
      inputs: [valueInfo('x', 'float32', [1, 8])],
      outputs: [valueInfo('y', 'float32', [1, 8])],
      ...parts,
    }),
  );
}

/** The op with this id; throws if the graph has none. */
export function op(graph: GraphIR, id: string) {
  const found = graph.ops.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no op ${id}`);
  return found;
}

/** Checks the IR's internal links: producers and consumers agree with the ops' inputs and outputs. */
export function checkLinks(graph: GraphIR): void {
  graph.ops.forEach((candidate, index) => {
    expect(candidate.index).toBe(index);
    for (const name of [...candidate.inputs, ...candidate.implicitInputs]) {
      if (name === '') continue;
      const tensor = graph.tensors[name];
      expect(tensor?.consumers).toContain(index);
      if (tensor?.producer !== null && tensor?.producer !== undefined)
        expect(tensor.producer).toBeLessThan(index);
    }
    for (const name of candidate.outputs) if (name !== '') expect(graph.tensors[name]?.producer).toBe(index);
  });
  for (const tensor of Object.values(graph.tensors)) {
    for (const consumer of tensor.consumers) {
      const reader = graph.ops[consumer];
      expect([...(reader?.inputs ?? []), ...(reader?.implicitInputs ?? [])]).toContain(tensor.name);
    }
    expect(new Set(tensor.consumers).size).toBe(tensor.consumers.length);
  }
  expect(new Set(graph.ops.map((candidate) => candidate.id)).size).toBe(graph.ops.length);
}
