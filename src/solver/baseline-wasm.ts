import { setFlagsFromString } from 'node:v8';

/** V8's flag that compiles WebAssembly with its baseline compiler (Liftoff) only, never optimising. */
const LIFTOFF_ONLY = '--liftoff-only';

/**
 * Runs `compile` (a promise that compiles and instantiates a wasm module) with V8 set to compile
 * WebAssembly with its baseline compiler only, and sets V8 back when it settles, unless the process
 * was started that way.
 *
 * Why: by default V8 compiles a module's functions quickly, then recompiles the hot ones optimised
 * on background threads. For a module that runs once for a second or two, as HiGHS does in its
 * one-shot worker on a small LP, that recompilation costs more CPU than it saves: 1.4 s of CPU for
 * the search bench's 5 x 300 LP, and a longer wall time too (off-thread.ts has the figures and the
 * command). On two cores that CPU comes out of the search running beside it.
 *
 * The setting is read when a module is compiled, so the module keeps baseline code after V8 is
 * set back (measured: its solve costs the same CPU either way). V8's flags belong to the process:
 * a module another thread compiles in the meantime gets baseline code too, and of two overlapping
 * calls the one that ends first sets V8 back for both. Either makes a module slower, never wrong.
 */
export async function withBaselineWasm<T>(compile: () => Promise<T>): Promise<T> {
  const startedSo = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].includes(
    LIFTOFF_ONLY,
  );
  setFlagsFromString(LIFTOFF_ONLY);
  try {
    return await compile();
  } finally {
    if (!startedSo) setFlagsFromString('--no-liftoff-only');
  }
}
