import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/thrown.js';
import { Code } from '../common/index.js';
import { node, valueInfo } from '../onnx/index.js';
import { buildGraph } from './build-graph.js';
import { model } from './build-graph.test-fixture.js';

describe('buildGraph on small models', () => {
  it('rejects a cycle as INVALID_ARGUMENT', () => {
    const error = thrown(() =>
      buildGraph(
        model({
          nodes: [
            node('Add', ['x', 'c'], ['a'], [], 'p'),
            node('Relu', ['a'], ['c'], [], 'q'),
            node('Neg', ['a'], ['y'], [], 'r'),
          ],
        }),
      ),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe("the model's graph has a cycle through 3 nodes");
  });

  it('rejects a read of a tensor nothing defines, naming the node and the tensor', () => {
    const error = thrown(() => buildGraph(model({ nodes: [node('Add', ['x', 'ghost'], ['y'])] })));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe("node 'Add#0' reads 'ghost', which nothing defines");
  });

  it('rejects a graph output nothing produces', () => {
    const error = thrown(() =>
      buildGraph(
        model({
          nodes: [node('Relu', ['x'], ['y'])],
          outputs: [valueInfo('y', 'float32', [1, 8]), valueInfo('lost', 'float32', [1])],
        }),
      ),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe("graph output 'lost' is produced by no node, input or initializer");
  });
});
