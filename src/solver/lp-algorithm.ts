import type { LpSolveOptions } from './highs.js';

/**
 * The longest LP text (characters) that HiGHS solves by its primal simplex method rather than its
 * interior point method. `npm run bench -- highs` solves the search bench's synthetic LP bounds
 * cold each way, with HiGHS compiled as its worker compiles it for that length (compileFor).
 * Medians of 3 on a 2-core machine, wall s, primal simplex against interior point (and HiGHS's
 * default, dual, simplex):
 * - 5 x 300 operators, 0.51 MB (baseline-compiled): 0.51 against 0.81 (dual 0.57);
 * - 5 x 450, 0.78 MB (baseline): 1.03 against 1.56 (dual 0.88);
 * - 5 x 600, 1.06 MB (baseline): 1.33 against 1.75 (dual 1.16);
 * - 5 x 1,000, 1.79 MB (tiered): 1.82 against 3.04 (dual 2.18);
 * - 5 x 2,000, 3.62 MB (tiered): 4.49 against 5.10 (dual 6.23).
 * The primal simplex beats the interior point method at every size measured, and the dual simplex
 * on all but the two middle ones, where it is 13 to 15 % faster. Past 3.62 MB nothing was measured:
 * the limit stays near the largest LP that was. On each of these LPs
 * all three reach the same optimum, and the bound rounds it to the same placement (the bench
 * checks both).
 */
export const SIMPLEX_MAX_LP_CHARS = 4_000_000;

/** HiGHS's algorithm for an LP of this length. */
export function algorithmFor(lpText: string): LpSolveOptions['solver'] {
  return lpText.length <= SIMPLEX_MAX_LP_CHARS ? 'primal-simplex' : 'ipm';
}
