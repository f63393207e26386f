import { describe, expect, it } from 'vitest';
import { simulate } from './sim.js';
import { traceJson } from './sim-trace.js';
import type { ChromeTraceEvent, SimConfig, SimTenant } from './sim-types.js';

const tenants: SimTenant[] = ['a', 'b'].map((name) => ({
  name,
  sloMs: 20,
  weight: 1,
  arrival: { kind: 'poisson', ratePerS: 150 },
  segments: [
    { id: 0, pool: 'cpu', durationMs: 1, deps: [], handoffMs: 0.1 },
    { id: 1, pool: 'gpu:0', durationMs: 2, deps: [0], handoffMs: 0.2 },
    { id: 2, pool: 'cpu', durationMs: 1.5, deps: [0], handoffMs: 0 },
    { id: 3, pool: 'cpu', durationMs: 0.5, deps: [1, 2], handoffMs: 0.2 },
  ],
}));
const config: SimConfig = {
  pools: [
    { id: 'cpu', slots: 2 },
    { id: 'gpu:0', slots: 1 },
  ],
  requestSlots: 3,
  maxQueueLength: 8,
  horizonMs: 500,
  warmupMs: 0,
  seed: 3,
  trace: true,
};

describe('simulate: Chrome trace', () => {
  const result = simulate(tenants, config);
  const events = result.trace ?? [];
  const spans = events.filter((event) => event.ph === 'X');

  it('is absent unless asked for', () => {
    expect(simulate(tenants, { ...config, trace: false }).trace).toBeUndefined();
    expect(traceJson(simulate(tenants, { ...config, trace: false }))).toBe(
      '{"traceEvents":[],"displayTimeUnit":"ms"}',
    );
  });

  it('has well-formed complete events in µs on integer tracks', () => {
    expect(spans.length).toBeGreaterThan(100);
    for (const event of spans) {
      expect(Number.isInteger(event.pid) && Number.isInteger(event.tid)).toBe(true);
      expect(event.ts).toBeGreaterThanOrEqual(0);
      expect(event.dur).toBeGreaterThanOrEqual(0);
      expect(['segment', 'pool-wait', 'request-wait']).toContain(event.cat);
    }
  });

  it('names segment spans tenant#request/sSegment on a slot of their pool', () => {
    const segments = spans.filter((event) => event.cat === 'segment');
    for (const event of segments) {
      expect(event.name).toMatch(/^[ab]#\d+\/s[0-3]$/);
      const slots = event.pid === 0 ? 2 : 1;
      expect(event.tid).toBeLessThan(slots);
      const index = Number(event.name.split('/s')[1]);
      expect(event.dur).toBeCloseTo([1000, 2000, 1500, 500][index] ?? -1, 6);
    }
    // Every request started runs all four segments on the right pools.
    const gpu = segments.filter((event) => event.pid === 1);
    expect(gpu.every((event) => event.name.endsWith('/s1'))).toBe(true);
  });

  it('never overlaps spans on one track, so viewers nest them', () => {
    const tracks = new Map<string, ChromeTraceEvent[]>();
    for (const event of spans) {
      const key = `${event.pid}/${event.tid}`;
      tracks.set(key, [...(tracks.get(key) ?? []), event]);
    }
    for (const track of tracks.values()) {
      track.sort((x, y) => x.ts - y.ts);
      for (let i = 1; i < track.length; i++) {
        const previous = track[i - 1];
        const current = track[i];
        if (!previous || !current) continue;
        expect(previous.ts + (previous.dur ?? 0)).toBeLessThanOrEqual(current.ts + 1e-6);
      }
    }
  });

  it('records queue waits and names every process and thread used', () => {
    expect(spans.some((event) => event.cat === 'pool-wait')).toBe(true);
    expect(spans.some((event) => event.cat === 'request-wait')).toBe(true);
    const named = new Set(
      events
        .filter((event) => event.ph === 'M' && event.name === 'thread_name')
        .map((event) => `${event.pid}/${event.tid}`),
    );
    for (const event of spans) expect(named.has(`${event.pid}/${event.tid}`)).toBe(true);
    const processes = events.filter((event) => event.ph === 'M' && event.name === 'process_name');
    expect(processes.map((event) => event.args?.name)).toEqual(['cpu', 'gpu:0', 'dispatcher queue']);
  });

  it('serializes to a { traceEvents } file', () => {
    const parsed = JSON.parse(traceJson(result)) as { traceEvents: ChromeTraceEvent[] };
    expect(parsed.traceEvents).toEqual(events);
  });
});
