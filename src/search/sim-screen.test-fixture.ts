import { syntheticProblem } from './problem-fixture.js';

/**
 * Two small branchy tenants, a tenth of their operators pinned to the CPU: random placements of
 * them spread widely in the simulator's score, and most meet their SLOs at some load, so floors
 * between them screen some plans out and let others through (SimObjective.scoreAbove's tests).
 */
export const SCREEN_PROBLEM = syntheticProblem({
  tenants: 2,
  operators: 24,
  kind: 'branches',
  width: [1024, 64],
  batch: 16,
  pinnedFraction: 0.1,
  seed: 9,
});
