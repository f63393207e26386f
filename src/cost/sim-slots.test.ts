import { describe, expect, it } from 'vitest';
import { simulate } from './sim.js';
import { simConfig } from './sim.test-fixture.js';
import type { SimConfig, SimTenant } from './sim-types.js';

/** A closed-loop tenant whose requests are one CPU segment of `durationMs` holding `slots` slots. */
function tenant(
  name: string,
  durationMs: number,
  slots: number,
  options: { clients?: number; thinkMs?: number; handoffMs?: number } = {},
): SimTenant {
  return {
    name,
    sloMs: 1_000,
    weight: 1,
    arrival: { kind: 'closed', clients: options.clients ?? 1, thinkMs: options.thinkMs ?? 0 },
    segments: [{ id: 0, pool: 'cpu', durationMs, deps: [], handoffMs: options.handoffMs ?? 0, slots }],
  };
}

function config(extra: Partial<SimConfig> = {}): SimConfig {
  return simConfig({ pools: [{ id: 'cpu', slots: 2 }], requestSlots: 8, ...extra });
}

/**
 * One request per tenant, all arriving at t = 0 (their clients then think past the window), each
 * a segment of `durationMs` on `slots` slots queued after `handoffMs`, with an SLO of `sloMs`
 * (default 1,000); simulated for 100 ms on a pool of `poolSlots`. Each tenant's latency.
 */
function oneRequestEach(
  poolSlots: number,
  requests: Record<string, { durationMs: number; slots: number; handoffMs: number; sloMs?: number }>,
): Record<string, number | undefined> {
  const tenants = Object.entries(requests).map(([name, { durationMs, slots, handoffMs, sloMs }]) => ({
    ...tenant(name, durationMs, slots, { thinkMs: 5_000, handoffMs }),
    ...(sloMs !== undefined && { sloMs }),
  }));
  const result = simulate(
    tenants,
    config({ pools: [{ id: 'cpu', slots: poolSlots }], warmupMs: 0, horizonMs: 100 }),
  );
  return Object.fromEntries(Object.keys(requests).map((name) => [name, result.tenants[name]?.latencyMs.p50]));
}

describe('simulate: pool queues and segments holding several pool slots (thread budgets)', () => {
  it('runs a two-slot segment alone on a two-slot pool: half the throughput, the pool fully busy', () => {
    const wide = simulate([tenant('a', 10, 2, { clients: 4 })], config());
    expect(wide.tenants.a?.throughputPerS).toBeCloseTo(100, 0);
    expect(wide.pools.cpu?.utilization).toBeCloseTo(1, 6);
    const narrow = simulate([tenant('a', 10, 1, { clients: 4 })], config());
    expect(narrow.tenants.a?.throughputPerS).toBeCloseTo(200, 0);
  });

  it('lets no later segment overtake a waiting wide one of equal deadline, even on a free slot', () => {
    // 'long' takes one slot 0..10; 'wide' queues at t=1 for both; 'late' at t=2 for one, which is
    // free, but waits behind 'wide' (both due at 1,000): wide runs 10..12, late 12..13.
    const latencyMs = oneRequestEach(2, {
      long: { durationMs: 10, slots: 1, handoffMs: 0 },
      wide: { durationMs: 2, slots: 2, handoffMs: 1 },
      late: { durationMs: 1, slots: 1, handoffMs: 2 },
    });
    expect(latencyMs.long).toBeCloseTo(10, 9);
    expect(latencyMs.wide).toBeCloseTo(12, 9);
    expect(latencyMs.late).toBeCloseTo(13, 9);
  });

  it('lets a waiting segment of an earlier SLO deadline go first, whatever the order they queued in', () => {
    // 'long' holds the one slot 0..10; 'loose' (SLO 1,000) queues at t=1, 'tight' (SLO 20) at t=2:
    // tight runs 10..15, loose 15..20. FIFO would give tight 20 ms and loose 15.
    const latencyMs = oneRequestEach(1, {
      long: { durationMs: 10, slots: 1, handoffMs: 0 },
      loose: { durationMs: 5, slots: 1, handoffMs: 1 },
      tight: { durationMs: 5, slots: 1, handoffMs: 2, sloMs: 20 },
    });
    expect(latencyMs.tight).toBeCloseTo(15, 9);
    expect(latencyMs.loose).toBeCloseTo(20, 9);
  });

  it('starts a segment due before a waiting wide one at once where it fits a free slot', () => {
    // 'long' holds one of two slots 0..10; 'wide' (SLO 1,000) waits for both from t=1; 'tight'
    // (SLO 20) queues at t=2, first in line now, and takes the free slot: 2..3. Wide runs 10..12.
    const latencyMs = oneRequestEach(2, {
      long: { durationMs: 10, slots: 1, handoffMs: 0 },
      wide: { durationMs: 2, slots: 2, handoffMs: 1 },
      tight: { durationMs: 1, slots: 1, handoffMs: 2, sloMs: 20 },
    });
    expect(latencyMs.tight).toBeCloseTo(3, 9);
    expect(latencyMs.wide).toBeCloseTo(12, 9);
  });

  it('draws a wide segment on every slot it holds in the trace', () => {
    const result = simulate([tenant('a', 10, 2)], config({ warmupMs: 0, horizonMs: 15, trace: true }));
    const spans = (result.trace ?? []).filter((event) => event.cat === 'segment' && event.ts === 0);
    expect(spans.map((span) => span.tid).sort()).toEqual([0, 1]);
    expect(new Set(spans.map((span) => span.name)).size).toBe(1);
  });

  it('refuses more slots than its pool has, or a fraction of one', () => {
    expect(() => simulate([tenant('a', 10, 3)], config())).toThrow(
      /slots must be an integer from 1 to pool 'cpu''s 2, got 3/,
    );
    expect(() => simulate([tenant('a', 10, 1.5)], config())).toThrow(/slots must be an integer/);
    expect(() => simulate([tenant('a', 10, 0)], config())).toThrow(/slots must be an integer/);
  });
});
