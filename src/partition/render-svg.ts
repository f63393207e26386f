import { instance, type Viz } from '@viz-js/viz';
import { Code, HetschedError } from '../common/index.js';

/** Graphviz compiled to WebAssembly: compiling it takes a while, so one instance serves every render. */
let viz: Promise<Viz> | undefined;

function vizInstance(): Promise<Viz> {
  viz ??= instance().catch((error: unknown) => {
    // Let a later call try again rather than keep a failed start forever.
    viz = undefined;
    throw HetschedError.from(error, Code.Internal, 'cannot start Graphviz (@viz-js/viz)');
  });
  return viz;
}

/**
 * Lays out a DOT graph and returns it as an SVG document (Graphviz's `dot` engine, in-process
 * WebAssembly: no Graphviz install needed). Invalid DOT fails with INVALID_ARGUMENT carrying
 * Graphviz's own message.
 */
export async function renderSvg(dot: string): Promise<string> {
  const renderer = await vizInstance();
  try {
    return renderer.renderString(dot, { format: 'svg', engine: 'dot' });
  } catch (error) {
    throw HetschedError.from(error, Code.InvalidArgument, 'Graphviz cannot render the graph');
  }
}
