/**
 * Suite `search`: the two-phase search against exact optima (A), against baselines and the LP
 * bound on mixes of the real models with an ablation of its phases (B), and its speed (C).
 */
import { exactInstances } from './search-exact.js';
import { realMixes } from './search-mixes.js';
import { searchSpeed } from './search-speed.js';

export async function search(): Promise<Record<string, unknown>> {
  const speed = await searchSpeed();
  const exact = await exactInstances();
  const mixes = await realMixes();
  return { ...exact, mixes, ...speed };
}
