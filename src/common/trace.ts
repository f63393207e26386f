/**
 * Per-module debug tracing, switched on by HETSCHED_TRACE (comma-separated module names, or `all`),
 * in the manner of grpc-js's GRPC_TRACE. Disabled tracers cost one boolean test per call.
 */
export type Tracer = ((message: string) => void) & { readonly enabled: boolean };

const enabledModules = new Set(
  (process.env.HETSCHED_TRACE ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0),
);

export function tracer(module: string): Tracer {
  const enabled = enabledModules.has('all') || enabledModules.has(module);
  const trace = (message: string): void => {
    if (enabled) process.stderr.write(`${new Date().toISOString()} ${module} ${message}\n`);
  };
  return Object.assign(trace, { enabled });
}
