import type { SimResult } from './sim-types.js';

/**
 * The Chrome trace file of a traced run (`simulate(..., { trace: true })`): JSON that Perfetto
 * (ui.perfetto.dev) and chrome://tracing open. Empty of events when the run was not traced.
 */
export function traceJson(result: SimResult): string {
  return JSON.stringify({ traceEvents: result.trace ?? [], displayTimeUnit: 'ms' });
}
