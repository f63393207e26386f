import type { LpSolveOptions } from './highs.js';

/**
 * The longest LP text (characters) that HiGHS solves by its simplex method rather than its
 * interior point method. `npm run bench -- highs` solves the search bench's synthetic LP bounds
 * cold each way, with HiGHS compiled as its worker compiles it for that length (compileFor).
 * Medians of 3 on a 2-core machine, wall s, simplex against interior point:
 * - 5 x 300 operators, 0.55 MB: 0.85 against 1.05;
 * - 5 x 450, 0.84 MB: 1.49 against 1.59;
 * - 5 x 600, 1.14 MB: 1.88 against 1.92;
 * - 5 x 1,000, 1.92 MB: 3.75 against 3.23;
 * - 5 x 2,000, 3.89 MB: 15.51 against 5.75.
 * The two are even at about 1 MB; past it the simplex's pivots multiply and the interior point
 * method wins by more the larger the LP. On each of these LPs both reach the same optimum, and the
 * bound rounds it to the same placement (the bench checks both); on the real models' mixes of
 * `bench search`, the same placement too (checked once, by a script not kept).
 */
export const SIMPLEX_MAX_LP_CHARS = 1_000_000;

/** HiGHS's algorithm for an LP of this length. */
export function algorithmFor(lpText: string): LpSolveOptions['solver'] {
  return lpText.length <= SIMPLEX_MAX_LP_CHARS ? 'simplex' : 'ipm';
}
