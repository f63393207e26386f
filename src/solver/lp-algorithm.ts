import type { LpSolveOptions } from './highs.js';

/**
 * The longest LP text (characters) that HiGHS solves by its primal simplex method rather than its
 * interior point method. `npm run bench -- highs` solves the search bench's synthetic LP bounds
 * cold each way, with HiGHS compiled as its worker compiles it for that length (compileFor).
 * Medians of 3 on a 2-core machine, wall s, primal simplex against interior point (and HiGHS's
 * default, dual, simplex):
 * - 5 x 300 operators, 0.55 MB: 0.80 against 1.04 (dual 0.91);
 * - 5 x 450, 0.84 MB: 1.53 against 1.90 (dual 1.73);
 * - 5 x 600, 1.14 MB: 2.02 against 2.12 (dual 2.18);
 * - 5 x 1,000, 1.92 MB: 3.49 against 3.74 (dual 5.47);
 * - 5 x 2,000, 3.89 MB: 13.50 against 7.16 (dual 21.87).
 * The primal simplex is the fastest up to 1.92 MB, the interior point method at 3.89 MB; where
 * between the two they cross was not measured. On each of these LPs all three reach the same
 * optimum, and the bound rounds it to the same placement (the bench checks both). On the real
 * models' mixes of `npm run bench -- search`, the bounds and the plans came out as they did by
 * the dual simplex (the ocr+audio mix's plan starts from the LP's rounding).
 */
export const SIMPLEX_MAX_LP_CHARS = 2_000_000;

/** HiGHS's algorithm for an LP of this length. */
export function algorithmFor(lpText: string): LpSolveOptions['solver'] {
  return lpText.length <= SIMPLEX_MAX_LP_CHARS ? 'primal-simplex' : 'ipm';
}
