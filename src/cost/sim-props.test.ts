import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulate } from './sim.js';
import type { SimConfig, SimPool, SimSegment, SimTenant } from './sim-types.js';

const POOLS: SimPool[] = [
  { id: 'cpu', slots: 2 },
  { id: 'gpu:0', slots: 1 },
];

/** A small random plan: each segment reads some earlier ones. */
const segmentsArb = fc
  .array(
    fc.record({
      gpu: fc.boolean(),
      durationMs: fc.double({ min: 0.1, max: 5, noNaN: true }),
      handoffMs: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
      depMask: fc.nat(15),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((raw) =>
    raw.map(
      (entry, id): SimSegment => ({
        id,
        pool: entry.gpu ? 'gpu:0' : 'cpu',
        durationMs: entry.durationMs,
        handoffMs: entry.handoffMs,
        // Bit k of the mask: read segment id - 1 - k.
        deps: [0, 1, 2, 3]
          .filter((k) => (entry.depMask >> k) & 1)
          .map((k) => id - 1 - k)
          .filter((dep) => dep >= 0),
      }),
    ),
  );

/** Tenants with Poisson loads scaled so no pool and no request slot is busier than `load` on average. */
const stationaryArb = fc
  .record({
    plans: fc.array(
      fc.record({ segments: segmentsArb, share: fc.double({ min: 0.1, max: 1, noNaN: true }) }),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    load: fc.double({ min: 0.1, max: 0.6, noNaN: true }),
    requestSlots: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
  })
  .map(({ plans, load, requestSlots, seed }) => {
    let cpuMs = 0;
    let gpuMs = 0;
    let serialMs = 0;
    for (const { segments, share } of plans) {
      for (const segment of segments) {
        if (segment.pool === 'cpu') cpuMs += (share * segment.durationMs) / 2;
        else gpuMs += share * segment.durationMs;
        // A request holds its slot at most for the serial sum (no contention) plus contention; bound loosely.
        serialMs += (share * (segment.durationMs + segment.handoffMs)) / requestSlots;
      }
    }
    const unitRatePerS = (load * 1000) / Math.max(cpuMs, gpuMs, 2 * serialMs);
    const tenants = plans.map(
      ({ segments, share }, t): SimTenant => ({
        name: `t${t}`,
        sloMs: 50,
        weight: 1,
        arrival: { kind: 'poisson', ratePerS: unitRatePerS * share },
        segments,
      }),
    );
    const config: SimConfig = {
      pools: POOLS,
      requestSlots,
      maxQueueLength: Number.POSITIVE_INFINITY,
      horizonMs: 60_000,
      warmupMs: 1000,
      seed,
    };
    return { tenants, config };
  });

describe('simulate: properties', () => {
  it('is deterministic: the same input and seed give the same result, trace included', () => {
    fc.assert(
      fc.property(stationaryArb, ({ tenants, config }) => {
        const short = { ...config, horizonMs: 2000, trace: true };
        const traced = simulate(tenants, short);
        expect(simulate(tenants, short)).toEqual(traced);
        // Recording the trace observes the run without changing it.
        const { trace: _, ...untraced } = traced;
        expect(simulate(tenants, { ...short, trace: false })).toEqual(untraced);
      }),
      { numRuns: 20 },
    );
  });

  it('changes with the seed', () => {
    const tenant: SimTenant = {
      name: 'a',
      sloMs: 50,
      weight: 1,
      arrival: { kind: 'poisson', ratePerS: 100 },
      segments: [{ id: 0, pool: 'cpu', durationMs: 2, deps: [], handoffMs: 0 }],
    };
    const config: SimConfig = {
      pools: POOLS,
      requestSlots: 2,
      maxQueueLength: 8,
      horizonMs: 5000,
      warmupMs: 0,
      seed: 1,
    };
    const a = simulate([tenant], config);
    const b = simulate([tenant], { ...config, seed: 2 });
    expect(a.tenants.a?.latencyMs).not.toEqual(b.tenants.a?.latencyMs);
  });

  it('keeps a tenant’s arrivals when another tenant is appended', () => {
    fc.assert(
      fc.property(stationaryArb, segmentsArb, ({ tenants, config }, extra) => {
        const more: SimTenant[] = [
          ...tenants,
          {
            name: 'extra',
            sloMs: 10,
            weight: 1,
            arrival: { kind: 'poisson', ratePerS: 50 },
            segments: extra,
          },
        ];
        const short = { ...config, horizonMs: 2000 };
        const before = simulate(tenants, short);
        const after = simulate(more, short);
        for (const tenant of tenants) {
          expect(after.tenants[tenant.name]?.arrived).toBe(before.tenants[tenant.name]?.arrived);
        }
      }),
      { numRuns: 20 },
    );
  });

  it("holds Little's law in a stationary run: mean in system = throughput x mean latency", () => {
    fc.assert(
      fc.property(stationaryArb, ({ tenants, config }) => {
        const result = simulate(tenants, config);
        let inSystem = 0;
        let littles = 0;
        for (const tenant of Object.values(result.tenants)) {
          if (tenant.completed === 0) continue;
          inSystem += tenant.meanInSystem;
          littles += (tenant.throughputPerS * tenant.latencyMs.mean) / 1000;
          expect(tenant.rejected).toBe(0);
        }
        // Requests straddling the window's edges are the only difference: small against 60 s.
        expect(Math.abs(inSystem - littles)).toBeLessThanOrEqual(0.01 * littles + 0.001);
      }),
      { numRuns: 25 },
    );
  });

  it('keeps utilizations in [0, 1] and counts consistent', () => {
    fc.assert(
      fc.property(stationaryArb, fc.integer({ min: 1, max: 4 }), ({ tenants, config }, maxQueueLength) => {
        // Overload on purpose: ten times the stationary rates and a short queue.
        const heavy = tenants.map((tenant) =>
          tenant.arrival.kind === 'poisson'
            ? { ...tenant, arrival: { kind: 'poisson' as const, ratePerS: tenant.arrival.ratePerS * 10 } }
            : tenant,
        );
        const result = simulate(heavy, { ...config, horizonMs: 3000, maxQueueLength });
        for (const pool of Object.values(result.pools)) {
          expect(pool.utilization).toBeGreaterThanOrEqual(0);
          expect(pool.utilization).toBeLessThanOrEqual(1 + 1e-9);
        }
        for (const tenant of Object.values(result.tenants)) {
          expect(tenant.rejected).toBeLessThanOrEqual(tenant.arrived);
          expect(tenant.sloAttainment).toBeGreaterThanOrEqual(0);
          expect(tenant.sloAttainment).toBeLessThanOrEqual(1);
          if (tenant.completed > 0) expect(tenant.latencyMs.p50).toBeLessThanOrEqual(tenant.latencyMs.p99);
        }
      }),
      { numRuns: 20 },
    );
  });
});
