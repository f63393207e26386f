/**
 * Unique, stable ids for nodes: the node's own name when it is non-empty and no other node shares
 * it (exporters often leave names empty or repeat them: PP-OCR's leave half empty), else
 * `<OpType>#<position in graph.node>`, primed until it collides with nothing.
 */
export function nodeIds(nodes: readonly { readonly name: string; readonly opType: string }[]): string[] {
  const counts = new Map<string, number>();
  for (const { name } of nodes) counts.set(name, (counts.get(name) ?? 0) + 1);
  const taken = new Set(
    nodes.map((node) => node.name).filter((name) => name !== '' && counts.get(name) === 1),
  );
  return nodes.map((node, index) => {
    if (node.name !== '' && counts.get(node.name) === 1) return node.name;
    let id = `${node.opType}#${index}`;
    while (taken.has(id)) id = `${id}'`;
    taken.add(id);
    return id;
  });
}
