import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { solveLpText } from './highs.js';
import { BASELINE_MAX_LP_CHARS, compileFor, offThreadLpSolver } from './off-thread.js';

/** Maximise x + 2y with x + y <= 3, y <= 1, x, y >= 0: x = 2, y = 1, objective 4. */
const LP = ['Maximize', ' obj: 1 x + 2 y', 'Subject To', ' c1: 1 x + 1 y <= 3', ' c2: 1 y <= 1', 'End'].join(
  '\n',
);
const LIMITS = { timeoutMs: 60_000, label: 'test LP' };

describe('offThreadLpSolver', () => {
  it('solves in its worker exactly as on this thread', async () => {
    const solver = offThreadLpSolver(LIMITS);
    const [there, here] = await Promise.all([
      solver.solve(LP, { solver: 'simplex' }),
      solveLpText(LP, { solver: 'simplex' }),
    ]);
    expect(there.status).toBe('Optimal');
    expect(there.objective).toBe(4);
    expect(there.primal).toEqual(
      new Map([
        ['x', 2],
        ['y', 1],
      ]),
    );
    expect(there).toEqual(here);
  });

  it('passes HiGHS errors back with their gRPC code, and a cancelled solver never solves', async () => {
    const broken = offThreadLpSolver(LIMITS);
    const error = await broken
      .solve('Maximize\n obj: 1 x\nSubject To\n c1: 1 x <=\nEnd', {})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HetschedError);
    expect((error as HetschedError).code).toBe(Code.Internal);
    expect((error as HetschedError).message).toMatch(
      /HiGHS could not solve the model: Unable to read LP model/,
    );

    const cancelled = offThreadLpSolver(LIMITS);
    cancelled.cancel();
    await expect(cancelled.solve(LP, {})).rejects.toThrow(/the test LP was cancelled/);
  });

  it("compiles HiGHS without V8's optimising tier for LPs up to its length limit, tiered past it", async () => {
    expect(compileFor(LP)).toBe('baseline');
    expect(compileFor('x'.repeat(BASELINE_MAX_LP_CHARS))).toBe('baseline');
    // An LP just past the limit, padded with a comment line (a backslash starts one in LP format):
    // solved tiered, to the same result.
    const long = `\\ ${'x'.repeat(BASELINE_MAX_LP_CHARS)}\n${LP}`;
    expect(compileFor(long)).toBe('tiered');
    const solved = await offThreadLpSolver(LIMITS).solve(long, { solver: 'simplex' });
    expect(solved).toEqual(await solveLpText(LP, { solver: 'simplex' }));
  });

  it('gives up on a worker that does not answer in time', async () => {
    const solver = offThreadLpSolver({ timeoutMs: 1, label: 'hurried LP' });
    await expect(solver.solve(LP, {})).rejects.toThrow(/the hurried LP did not finish within 1 ms/);
  });
});
