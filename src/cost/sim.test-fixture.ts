import type { SimConfig } from './sim-types.js';

/**
 * A simulator configuration for tests: one CPU slot, four request slots, a queue of 16, one
 * simulated second measured after 100 ms, seed 1; each test overrides what it is about.
 */
export function simConfig(overrides: Partial<SimConfig> = {}): SimConfig {
  return {
    pools: [{ id: 'cpu', slots: 1 }],
    requestSlots: 4,
    maxQueueLength: 16,
    horizonMs: 1_000,
    warmupMs: 100,
    seed: 1,
    ...overrides,
  };
}
