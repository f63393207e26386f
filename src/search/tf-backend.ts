/**
 * The one way hetsched loads TensorFlow.js. tfjs takes ~0.4 s to import, so nothing imports it
 * statically: the RL phase calls loadTf() and the server starts without it.
 *
 * Backends in priority order (first that works wins, every failure is kept for the message):
 *  1. `@tensorflow/tfjs-node` (native libtensorflow) where the user installed it;
 *  2. `@tensorflow/tfjs` on the `wasm` backend (`@tensorflow/tfjs-backend-wasm`, ships its .wasm);
 *  3. `@tensorflow/tfjs` on its pure-JS `cpu` backend.
 * The tfjs API is the same on each, so callers never branch on the backend.
 */
import type * as TfModule from '@tensorflow/tfjs';

/** The tfjs namespace (the same API whichever backend runs it). */
export type Tf = typeof TfModule;

export interface TfHandle {
  readonly tf: Tf;
  /** tfjs backend name: 'tensorflow' (tfjs-node), 'wasm' or 'cpu'. */
  readonly backend: string;
  /** Why each higher-priority backend was passed over, for the caller to log. */
  readonly skipped: readonly string[];
  /** One line for a log: which backend and why. */
  readonly description: string;
}

let cached: Promise<TfHandle> | undefined;

/** Loads tfjs and picks a backend on first call; later calls return the same handle. */
export function loadTf(): Promise<TfHandle> {
  cached ??= pickBackend();
  return cached;
}

async function pickBackend(): Promise<TfHandle> {
  const skipped: string[] = [];

  // A variable specifier keeps TypeScript from resolving a package that is usually absent.
  const nodePackage = '@tensorflow/tfjs-node';
  try {
    const tf = unwrap((await import(nodePackage)) as Tf);
    await tf.ready();
    return handle(tf, skipped);
  } catch (error) {
    skipped.push(`${nodePackage}: ${reason(error)}`);
  }

  const tf = unwrap(await import('@tensorflow/tfjs'));
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error('setBackend("wasm") returned false');
    await tf.ready();
    return handle(tf, skipped);
  } catch (error) {
    skipped.push(`wasm: ${reason(error)}`);
  }

  // The cpu backend warns "install tfjs-node" on first use; we already said why in `skipped`.
  tf.env().set('PROD', true);
  if (!(await tf.setBackend('cpu'))) {
    throw new Error(
      `no tfjs backend could start (${[...skipped, 'cpu: setBackend returned false'].join('; ')})`,
    );
  }
  await tf.ready();
  return handle(tf, skipped);
}

function handle(tf: Tf, skipped: readonly string[]): TfHandle {
  const backend = tf.getBackend();
  const description =
    skipped.length === 0
      ? `tfjs backend ${backend}`
      : `tfjs backend ${backend} (skipped: ${skipped.join('; ')})`;
  return { tf, backend, skipped, description };
}

/** A CommonJS package imported from ESM may put its namespace under `default`. */
function unwrap(module: Tf): Tf {
  const inner = (module as unknown as { default?: Tf }).default;
  return typeof module.setBackend === 'function' || inner === undefined ? module : inner;
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
