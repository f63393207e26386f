import { describe, expect, it } from 'vitest';
import { withBaselineWasm } from './baseline-wasm.js';

/** (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)) */
const ADD_WASM = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03,
  0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20,
  0x00, 0x20, 0x01, 0x6a, 0x0b,
]);

/** The part of the WebAssembly API used here (this project's TypeScript libs do not declare it). */
interface WasmApi {
  instantiate(bytes: Uint8Array): Promise<{ instance: { exports: Record<string, unknown> } }>;
  readonly CompileError: new () => Error;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const addOf = (compiled: { instance: { exports: Record<string, unknown> } }) =>
  compiled.instance.exports.add as (a: number, b: number) => number;

describe('withBaselineWasm', () => {
  it('gives back what its compile made: a module that runs as compiled normally', async () => {
    const baseline = addOf(await withBaselineWasm(() => wasm.instantiate(ADD_WASM)));
    const tiered = addOf(await wasm.instantiate(ADD_WASM));
    expect(baseline(2, 40)).toBe(42);
    expect(baseline(-7, 3)).toBe(tiered(-7, 3));
  });

  it("passes its compile's failure on; wasm compiles after it as before", async () => {
    await expect(withBaselineWasm(() => wasm.instantiate(Uint8Array.from([0, 1, 2, 3])))).rejects.toThrow(
      wasm.CompileError,
    );
    expect(addOf(await wasm.instantiate(ADD_WASM))(1, 1)).toBe(2);
  });
});
