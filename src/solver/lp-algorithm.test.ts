import { describe, expect, it } from 'vitest';
import { solveLpText } from './highs.js';
import { algorithmFor, SIMPLEX_MAX_LP_CHARS } from './lp-algorithm.js';

/** Maximise x + 2y with x + y <= 3, y <= 1, x, y >= 0: x = 2, y = 1, objective 4. */
const LP = ['Maximize', ' obj: 1 x + 2 y', 'Subject To', ' c1: 1 x + 1 y <= 3', ' c2: 1 y <= 1', 'End'].join(
  '\n',
);

describe('algorithmFor', () => {
  it('solves by the primal simplex up to its length limit, by the interior point method past it', () => {
    expect(algorithmFor(LP)).toBe('primal-simplex');
    expect(algorithmFor('x'.repeat(SIMPLEX_MAX_LP_CHARS))).toBe('primal-simplex');
    expect(algorithmFor('x'.repeat(SIMPLEX_MAX_LP_CHARS + 1))).toBe('ipm');
  });

  it('names an algorithm HiGHS takes, each reaching the same optimum', async () => {
    const simplex = await solveLpText(LP, { solver: algorithmFor(LP) });
    const ipm = await solveLpText(LP, {
      solver: algorithmFor(`\\ ${'x'.repeat(SIMPLEX_MAX_LP_CHARS)}\n${LP}`),
    });
    expect(simplex.status).toBe('Optimal');
    expect(ipm.status).toBe('Optimal');
    expect(simplex.objective).toBe(4);
    expect(ipm.objective).toBeCloseTo(4, 9);
  });
});
