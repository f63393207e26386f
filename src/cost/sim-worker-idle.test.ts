import { describe, expect, it } from 'vitest';
import { simulate } from './sim.js';
import { simConfig } from './sim.test-fixture.js';
import type { SimPoolId, SimTenant } from './sim-types.js';

/** A closed-loop tenant whose requests are one segment of `durationMs` on `pool`. */
function tenant(
  durationMs: number,
  workerIdleMs: number,
  clients: number,
  pool: SimPoolId = 'cpu',
): SimTenant {
  return {
    name: 'a',
    sloMs: 1_000,
    weight: 1,
    arrival: { kind: 'closed', clients, thinkMs: 0 },
    segments: [{ id: 0, pool, durationMs, deps: [], handoffMs: 0 }],
    workerIdleMs,
  };
}

describe('simulate: workers waiting on the main thread (workerIdleMs)', () => {
  it('takes its time from a saturated CPU pool: 4 ms segments and 1 ms waits serve 200/s, not 250/s', () => {
    const busy = simulate([tenant(4, 1, 3)], simConfig());
    expect(busy.tenants.a?.throughputPerS).toBeCloseTo(200, 0);
    // The pool's utilisation counts segment runs only: 4 of every 5 ms.
    expect(busy.pools.cpu?.utilization).toBeCloseTo(0.8, 2);
    const without = simulate([tenant(4, 0, 3)], simConfig());
    expect(without.tenants.a?.throughputPerS).toBeCloseTo(250, 0);
  });

  it('adds nothing to a request’s own latency while the pool has room', () => {
    // One client, two slots: each wait runs beside the next request's segment.
    const result = simulate([tenant(4, 1, 1)], simConfig({ pools: [{ id: 'cpu', slots: 2 }] }));
    expect(result.tenants.a?.latencyMs.p99).toBeCloseTo(4, 9);
    expect(result.tenants.a?.throughputPerS).toBeCloseTo(250, 0);
  });

  it('is served ahead of waiting segments', () => {
    // Two clients on one slot settle into A, B, A's wait, B's wait, every 12 ms: each request,
    // sent as its previous one completes, waits behind the other's segment and both waits.
    const result = simulate([tenant(4, 2, 2)], simConfig());
    expect(result.tenants.a?.throughputPerS).toBeCloseTo(1000 / 6, 0);
    expect(result.tenants.a?.latencyMs.p50).toBeCloseTo(12, 9);
  });

  it('costs nothing without a CPU pool, and waits on the GPU’s requests still cost the CPU', () => {
    const gpuOnly = simulate([tenant(4, 1, 3, 'gpu:0')], simConfig({ pools: [{ id: 'gpu:0', slots: 1 }] }));
    expect(gpuOnly.tenants.a?.throughputPerS).toBeCloseTo(250, 0);
    const both = simulate(
      [tenant(4, 1, 3, 'gpu:0')],
      simConfig({
        pools: [
          { id: 'cpu', slots: 1 },
          { id: 'gpu:0', slots: 1 },
        ],
      }),
    );
    // The CPU has room for the waits: the GPU's throughput is untouched.
    expect(both.tenants.a?.throughputPerS).toBeCloseTo(250, 0);
  });

  it('repeats exactly for a seed, and refuses a negative or infinite wait', () => {
    const once = simulate([tenant(4, 1.5, 3)], simConfig());
    expect(simulate([tenant(4, 1.5, 3)], simConfig())).toEqual(once);
    expect(() => simulate([tenant(4, -1, 3)], simConfig())).toThrow(/workerIdleMs must be >= 0/);
    expect(() => simulate([tenant(4, Number.POSITIVE_INFINITY, 3)], simConfig())).toThrow(/workerIdleMs/);
  });
});
