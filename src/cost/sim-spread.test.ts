import { describe, expect, it } from 'vitest';
import { simulate } from './sim.js';
import { simConfig } from './sim.test-fixture.js';
import type { SimConfig, SimTenant } from './sim-types.js';

/** A closed-loop tenant of `clients` clients whose requests are one CPU segment. */
function closedTenant(name: string, durationMs: number, spreadLogSd: number, clients = 2): SimTenant {
  return {
    name,
    sloMs: 1_000,
    weight: 1,
    arrival: { kind: 'closed', clients, thinkMs: 0 },
    segments: [{ id: 0, pool: 'cpu', durationMs, deps: [], handoffMs: 0.1, spreadLogSd }],
  };
}

function config(extra: Partial<SimConfig> = {}): SimConfig {
  return simConfig({
    pools: [{ id: 'cpu', slots: 2 }],
    maxQueueLength: 64,
    horizonMs: 8_000,
    warmupMs: 1_000,
    ...extra,
  });
}

/** Two long tenants and a short one sharing two CPU slots, each with two closed-loop clients. */
function mix(spreadLogSd: number): SimTenant[] {
  return [
    closedTenant('long-a', 13, spreadLogSd),
    closedTenant('long-b', 12.6, spreadLogSd),
    closedTenant('short', 1, spreadLogSd),
  ];
}

describe('simulate: run-to-run spread of segment times', () => {
  it('without spread, locks closed-loop clients into rounds: each served once per round, whatever its time', () => {
    const { tenants } = simulate(mix(0), config());
    const long = tenants['long-a']?.throughputPerS ?? 0;
    expect(long).toBeGreaterThan(0);
    expect(tenants.short?.throughputPerS).toBeCloseTo(long, 0);
  });

  it('with spread, lets the short tenant overtake, as real runs (never quite equal) do', () => {
    const { tenants } = simulate(mix(0.1), config());
    const long = tenants['long-a']?.throughputPerS ?? 0;
    expect(tenants.short?.throughputPerS).toBeGreaterThan(1.15 * long);
  });

  it("keeps the segment's time as the median and spreads it by σ (10th to 90th percentile: e^(2 x 1.28 σ))", () => {
    const sigma = 0.2;
    // One client, one slot, no hand-off: each latency is exactly one run of the segment.
    const alone: SimTenant = {
      ...closedTenant('alone', 10, sigma, 1),
      segments: [{ id: 0, pool: 'cpu', durationMs: 10, deps: [], handoffMs: 0, spreadLogSd: sigma }],
    };
    const { tenants } = simulate(
      [alone],
      config({ pools: [{ id: 'cpu', slots: 1 }], requestSlots: 1, horizonMs: 20_000 }),
    );
    const latency = tenants.alone?.latencyMs;
    expect(latency?.p50).toBeGreaterThan(9.7);
    expect(latency?.p50).toBeLessThan(10.3);
    const ratio = (latency?.p90 ?? 0) / 10;
    expect(ratio).toBeGreaterThan(Math.exp(1.2816 * sigma) * 0.95);
    expect(ratio).toBeLessThan(Math.exp(1.2816 * sigma) * 1.05);
  });

  it('repeats exactly for a seed and draws differently for another', () => {
    const once = simulate(mix(0.1), config());
    expect(simulate(mix(0.1), config())).toEqual(once);
    expect(simulate(mix(0.1), config({ seed: 2 })).tenants.short?.completed).not.toBe(
      once.tenants.short?.completed,
    );
  });
});
