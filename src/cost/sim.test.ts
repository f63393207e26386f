import { describe, expect, it } from 'vitest';
import { simulate } from './sim.js';
import type { SimConfig, SimPool, SimSegment, SimTenant } from './sim-types.js';

const CPU1: SimPool[] = [{ id: 'cpu', slots: 1 }];

function segment(
  id: number,
  pool: SimSegment['pool'],
  durationMs: number,
  deps: number[] = [],
  handoffMs = 0,
) {
  return { id, pool, durationMs, deps, handoffMs } satisfies SimSegment;
}

function closed(name: string, segments: SimSegment[], extra: Partial<SimTenant> = {}): SimTenant {
  return {
    name,
    sloMs: 1000,
    weight: 1,
    arrival: { kind: 'closed', clients: 1, thinkMs: 0 },
    segments,
    ...extra,
  };
}

function config(extra: Partial<SimConfig> = {}): SimConfig {
  // The window [5, 1005) holds completions at 10, 20, ..., 1000 of a 10 ms closed loop: exactly 100.
  return {
    pools: CPU1,
    requestSlots: 1,
    maxQueueLength: 16,
    horizonMs: 1000,
    warmupMs: 5,
    seed: 1,
    ...extra,
  };
}

function tenantOf(result: ReturnType<typeof simulate>, name: string) {
  const tenant = result.tenants[name];
  if (!tenant) throw new Error(`no result for ${name}`);
  return tenant;
}

describe('simulate: exact answers', () => {
  it('runs one 10 ms CPU segment in a closed loop at 100/s, 10 ms each, the pool always busy', () => {
    const result = simulate([closed('a', [segment(0, 'cpu', 10)])], config());
    const a = tenantOf(result, 'a');
    expect(a.completed).toBe(100);
    expect(a.throughputPerS).toBeCloseTo(100, 9);
    expect(a.latencyMs).toEqual({ mean: 10, p50: 10, p90: 10, p99: 10 });
    expect(a.rejected).toBe(0);
    expect(a.sloAttainment).toBe(1);
    expect(a.meanInSystem).toBeCloseTo(1, 9);
    expect(result.pools.cpu?.utilization).toBeCloseTo(1, 9);
    expect(result.objective).toEqual({
      weightedThroughputPerS: 100,
      weightedGoodputPerS: 100,
      allWithinSlo: true,
    });
  });

  it('overlaps independent segments on CPU and GPU: latency is the longer one, not the sum', () => {
    const pools: SimPool[] = [
      { id: 'cpu', slots: 1 },
      { id: 'gpu:0', slots: 1 },
    ];
    const result = simulate(
      [closed('a', [segment(0, 'cpu', 10), segment(1, 'gpu:0', 6)])],
      config({ pools }),
    );
    const a = tenantOf(result, 'a');
    expect(a.latencyMs.mean).toBe(10);
    expect(a.throughputPerS).toBeCloseTo(100, 9);
    expect(result.pools['gpu:0']?.utilization).toBeCloseTo(0.6, 9);
  });

  it('runs a chain at the sum of its durations, hand-offs and output cost', () => {
    const pools: SimPool[] = [
      { id: 'cpu', slots: 1 },
      { id: 'gpu:0', slots: 1 },
    ];
    const segments = [
      segment(0, 'cpu', 3, [], 0.5),
      segment(1, 'gpu:0', 4, [0], 1),
      segment(2, 'cpu', 2, [1], 0.25),
    ];
    const result = simulate([closed('a', segments, { outputMs: 0.75 })], config({ pools }));
    const a = tenantOf(result, 'a');
    expect(a.latencyMs.mean).toBeCloseTo(0.5 + 3 + 1 + 4 + 0.25 + 2 + 0.75, 9);
    // Hand-offs hold no pool: the CPU is busy 5 of every 11.5 ms.
    expect(Math.abs((result.pools.cpu?.utilization ?? 0) - 5 / 11.5)).toBeLessThan(0.01);
  });

  it('waits for every dep: a join starts after its slower input', () => {
    const pools: SimPool[] = [
      { id: 'cpu', slots: 1 },
      { id: 'gpu:0', slots: 1 },
    ];
    const segments = [
      segment(0, 'cpu', 1),
      segment(1, 'cpu', 4, [0]),
      segment(2, 'gpu:0', 2, [0], 0.5),
      segment(3, 'cpu', 1, [1, 2]),
    ];
    const a = tenantOf(simulate([closed('a', segments)], config({ pools })), 'a');
    expect(a.latencyMs.mean).toBe(6);
  });

  it('completes a tenant without segments after its output cost', () => {
    const a = tenantOf(simulate([closed('a', [], { outputMs: 2 })], config()), 'a');
    expect(a.latencyMs.p99).toBe(2);
    expect(a.completed).toBe(500);
  });

  it('adds think time between a closed-loop client’s requests', () => {
    const tenant = closed('a', [segment(0, 'cpu', 10)], {
      arrival: { kind: 'closed', clients: 1, thinkMs: 10 },
    });
    const result = simulate([tenant], config());
    expect(tenantOf(result, 'a').throughputPerS).toBeCloseTo(50, 9);
    expect(result.pools.cpu?.utilization).toBeCloseTo(0.5, 2);
  });

  it('counts nothing that completes during the warm-up', () => {
    const a = tenantOf(
      simulate([closed('a', [segment(0, 'cpu', 10)])], config({ warmupMs: 505, horizonMs: 500 })),
      'a',
    );
    expect(a.completed).toBe(50);
    expect(a.throughputPerS).toBeCloseTo(100, 9);
  });

  it('scores SLO misses: attainment, goodput and allWithinSlo', () => {
    const slow = simulate([closed('a', [segment(0, 'cpu', 10)], { sloMs: 9, weight: 2 })], config());
    expect(tenantOf(slow, 'a').sloAttainment).toBe(0);
    expect(slow.objective).toEqual({
      weightedThroughputPerS: 200,
      weightedGoodputPerS: 0,
      allWithinSlo: false,
    });
    const exact = simulate([closed('a', [segment(0, 'cpu', 10)], { sloMs: 10, weight: 2 })], config());
    expect(exact.objective.weightedGoodputPerS).toBeCloseTo(200, 9);
    expect(exact.objective.allWithinSlo).toBe(true);
  });

  it('keeps a client waiting for a free request slot in the queue', () => {
    const two = closed('a', [segment(0, 'cpu', 10)], { arrival: { kind: 'closed', clients: 2, thinkMs: 0 } });
    // From 15 ms on, one runs while the other waits 10 ms: 20 ms each, still 100/s.
    const a = tenantOf(simulate([two], config({ warmupMs: 15 })), 'a');
    expect(a.latencyMs.mean).toBe(20);
    expect(a.throughputPerS).toBeCloseTo(100, 9);
    expect(a.meanInSystem).toBeCloseTo(2, 9);
  });
});

describe('simulate: CPU interference', () => {
  const pools: SimPool[] = [{ id: 'cpu', slots: 2 }];
  const pair = (interferenceClass?: string): SimSegment[] => [
    segment(0, 'cpu', 10),
    interferenceClass === undefined ? segment(1, 'cpu', 10) : { ...segment(1, 'cpu', 10), interferenceClass },
  ];
  const latency = (segments: SimSegment[], cpuInterference?: Record<string, number[]>, slots = 2) =>
    tenantOf(
      simulate(
        [closed('a', segments)],
        config({ pools: [{ id: 'cpu', slots }], ...(cpuInterference ? { cpuInterference } : {}) }),
      ),
      'a',
    ).latencyMs.mean;

  it('slows a segment that starts while another CPU slot is busy', () => {
    // Segment 0 starts alone (factor 1), segment 1 beside it (factor 2).
    expect(latency(pair(), { default: [1, 2] })).toBe(20);
    expect(latency(pair())).toBe(10);
  });

  it('uses the segment’s class, falling back to default, then to no slowdown', () => {
    expect(latency(pair('memory'), { default: [1, 2], memory: [1, 3] })).toBe(30);
    expect(latency(pair('unknown'), { default: [1, 2], memory: [1, 3] })).toBe(20);
    expect(latency(pair('unknown'), { memory: [1, 3] })).toBe(10);
    expect(latency(pair('toString'), { default: [1, 2] })).toBe(20);
  });

  it('uses the last factor for more busy slots than the table has', () => {
    const three = [segment(0, 'cpu', 10), segment(1, 'cpu', 10), segment(2, 'cpu', 10)];
    expect(latency(three, { default: [1, 2] }, 3)).toBe(20);
    expect(latency(three, { default: [1, 2, 4] }, 3)).toBe(40);
  });

  it('leaves GPU segments alone', () => {
    const gpuPools: SimPool[] = [...pools, { id: 'gpu:0', slots: 1 }];
    const segments = [segment(0, 'cpu', 10), { ...segment(1, 'gpu:0', 10), interferenceClass: 'default' }];
    const result = simulate(
      [closed('a', segments)],
      config({ pools: gpuPools, cpuInterference: { default: [3] } }),
    );
    // The CPU segment alone pays factor[0] = 3; the GPU one none.
    expect(tenantOf(result, 'a').latencyMs.mean).toBe(30);
    expect(result.pools['gpu:0']?.utilization).toBeCloseTo(1 / 3, 2);
  });
});

describe('simulate: queueing', () => {
  const poisson = (ratePerS: number, durationMs: number, extra: Partial<SimTenant> = {}): SimTenant => ({
    name: 'a',
    sloMs: 1000,
    weight: 1,
    arrival: { kind: 'poisson', ratePerS },
    segments: [segment(0, 'cpu', durationMs)],
    ...extra,
  });

  it('matches M/D/1 below capacity: utilization = rate x service, Pollaczek-Khinchine wait', () => {
    const result = simulate(
      [poisson(50, 10)],
      config({ maxQueueLength: Number.POSITIVE_INFINITY, horizonMs: 400_000, warmupMs: 1000, seed: 7 }),
    );
    const a = tenantOf(result, 'a');
    expect(result.pools.cpu?.utilization).toBeGreaterThan(0.5 * 0.97);
    expect(result.pools.cpu?.utilization).toBeLessThan(0.5 * 1.03);
    expect(a.throughputPerS / 50).toBeCloseTo(1, 1);
    // M/D/1 at rho 0.5: wait rho * S / (2 (1 - rho)) = 5 ms, so 15 ms in the system.
    expect(a.latencyMs.mean / 15).toBeGreaterThan(0.95);
    expect(a.latencyMs.mean / 15).toBeLessThan(1.05);
    expect(a.latencyMs.p99).toBeLessThan(100);
    expect(a.rejected).toBe(0);
  });

  it('gives the same M/D/1 answer when the pool queue, not the dispatcher, holds the waiters', () => {
    const result = simulate(
      [poisson(50, 10)],
      config({
        requestSlots: 8,
        maxQueueLength: Number.POSITIVE_INFINITY,
        horizonMs: 400_000,
        warmupMs: 1000,
        seed: 7,
      }),
    );
    const a = tenantOf(result, 'a');
    expect(a.latencyMs.mean / 15).toBeGreaterThan(0.95);
    expect(a.latencyMs.mean / 15).toBeLessThan(1.05);
  });

  it('rejects beyond a short queue under overload and serves at capacity', () => {
    const result = simulate(
      [poisson(200, 10)],
      config({ maxQueueLength: 2, horizonMs: 50_000, warmupMs: 1000 }),
    );
    const a = tenantOf(result, 'a');
    expect(a.rejected / a.arrived).toBeGreaterThan(0.4);
    expect(a.throughputPerS / 100).toBeCloseTo(1, 1);
    expect(result.pools.cpu?.utilization).toBeGreaterThan(0.98);
    // Queue of 2 behind 1 running: nobody waits longer than 3 services.
    expect(a.latencyMs.p99).toBeLessThanOrEqual(30 + 1e-9);
    expect(a.sloAttainment).toBeCloseTo((a.arrived - a.rejected) / a.arrived, 2);
  });

  it('lets a tight-SLO tenant overtake a loose-SLO tenant’s queued requests (EDF)', () => {
    const loose: SimTenant = {
      ...closed('loose', [segment(0, 'cpu', 10)]),
      arrival: { kind: 'closed', clients: 5, thinkMs: 0 },
    };
    const tight: SimTenant = {
      ...closed('tight', [segment(0, 'cpu', 10)], { sloMs: 25 }),
      arrival: { kind: 'closed', clients: 1, thinkMs: 15 },
    };
    const result = simulate([loose, tight], config());
    const t = tenantOf(result, 'tight');
    // At most the running request's rest, then its own 10 ms; FIFO would queue it behind 4-5 others.
    expect(t.latencyMs.p99).toBeLessThanOrEqual(20);
    expect(t.sloAttainment).toBe(1);
    expect(tenantOf(result, 'loose').completed).toBeGreaterThan(0);
  });

  it('breaks a deadline tie in favour of the lower tenant index', () => {
    const first = (order: string[]) => {
      const tenants = order.map((name) => closed(name, [segment(0, 'cpu', 10)]));
      const result = simulate(tenants, config({ trace: true }));
      return result.trace?.find((event) => event.ph === 'X' && event.cat === 'segment' && event.ts === 0)
        ?.name;
    };
    expect(first(['x', 'y'])).toBe('x#0/s0');
    expect(first(['y', 'x'])).toBe('y#0/s0');
  });

  it('lets a rejected closed-loop client think and retry', () => {
    const busy: SimTenant = {
      ...closed('busy', [segment(0, 'cpu', 10)]),
      arrival: { kind: 'closed', clients: 3, thinkMs: 0 },
    };
    const retry: SimTenant = {
      ...closed('retry', [segment(0, 'cpu', 10)]),
      arrival: { kind: 'closed', clients: 4, thinkMs: 1 },
    };
    const result = simulate([busy, retry], config({ maxQueueLength: 3 }));
    expect(tenantOf(result, 'retry').rejected).toBeGreaterThan(0);
    expect(tenantOf(result, 'retry').completed).toBeGreaterThan(0);
  });
});
