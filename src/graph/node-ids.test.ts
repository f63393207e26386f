import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeIds } from './node-ids.js';

const n = (opType: string, name = '') => ({ name, opType });

describe('nodeIds', () => {
  it('keeps every non-empty name that no other node shares', () => {
    expect(nodeIds([n('Conv', 'conv1'), n('Relu', 'relu1'), n('Add', 'add')])).toEqual([
      'conv1',
      'relu1',
      'add',
    ]);
  });

  it('names a node with an empty name <OpType>#<position>', () => {
    expect(nodeIds([n('Conv'), n('Relu', 'r'), n('Relu'), n('Add')])).toEqual([
      'Conv#0',
      'r',
      'Relu#2',
      'Add#3',
    ]);
  });

  it('replaces a duplicated name on every node that carries it, the first included', () => {
    expect(nodeIds([n('Mul', 'dup'), n('Add', 'dup'), n('Sub', 'ok'), n('Div', 'dup')])).toEqual([
      'Mul#0',
      'Add#1',
      'ok',
      'Div#3',
    ]);
  });

  it('primes a generated id until it collides with no real name, wherever that name sits', () => {
    // The real names come after the node whose generated id would take them.
    expect(nodeIds([n('Add'), n('Relu', 'Add#0'), n('Sub', "Add#0'")])).toEqual([
      "Add#0''",
      'Add#0',
      "Add#0'",
    ]);
  });

  it('primes a generated id that a duplicated name would have produced, too', () => {
    // 'Relu#1' is a real name but shared, so it is not kept and does not block the generated id.
    expect(nodeIds([n('Relu', 'Relu#1'), n('Relu', 'Relu#1')])).toEqual(['Relu#0', 'Relu#1']);
  });

  it('returns nothing for no nodes', () => {
    expect(nodeIds([])).toEqual([]);
  });

  it('gives unique ids, keeping unique names and deriving the rest from type and position', () => {
    const nameArb = fc.constantFrom('', 'a', 'b', 'Add#0', 'Add#1', "Add#1'", 'Relu#2', 'Relu#3');
    const nodeArb = fc.record({ name: nameArb, opType: fc.constantFrom('Add', 'Relu') });
    fc.assert(
      fc.property(fc.array(nodeArb, { maxLength: 12 }), (nodes) => {
        const ids = nodeIds(nodes);
        expect(ids).toHaveLength(nodes.length);
        expect(new Set(ids).size).toBe(ids.length);
        nodes.forEach((node, index) => {
          const shared = nodes.filter((other) => other.name === node.name).length > 1;
          if (node.name !== '' && !shared) expect(ids[index]).toBe(node.name);
          else expect(ids[index]).toMatch(new RegExp(`^${node.opType}#${index}'*$`));
        });
      }),
    );
  });
});
