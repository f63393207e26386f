import { describe, expect, it } from 'vitest';
import { SimTally } from './sim-tally.js';

describe('SimTally', () => {
  it('counts what falls in its window, and the window arrivals still undecided', () => {
    // Window [10, 110), one tenant, two pools.
    const tally = new SimTally(1, 2, 10, 110);
    tally.arrival(0, 5, true); // before the window: admitted, not counted as an arrival
    tally.arrival(0, 20, true);
    expect(tally.undecided).toBe(1);
    tally.arrival(0, 30, false); // rejected at admission
    tally.poolBusy(1, 2, 0, 20); // two slots, 10 ms of it inside the window
    tally.completion(0, 20, 50, 40); // 30 ms: within its 40 ms SLO
    expect(tally.undecided).toBe(0);
    tally.completion(0, 5, 60, 40); // 55 ms: late; it arrived before the window
    tally.arrival(0, 100, true);
    tally.completion(0, 100, 120, 40); // completes after the window: not counted as a completion
    const counts = tally.counts();
    expect([...counts.arrived]).toEqual([3]);
    expect([...counts.rejected]).toEqual([1]);
    expect([...counts.completed]).toEqual([2]);
    expect([...counts.completedWithinSlo]).toEqual([1]);
    // The arrivals at 20 and 100 both finished within 40 ms.
    expect([...counts.arrivalsWithinSlo]).toEqual([2]);
    expect(counts.latenciesMs.map((latencies) => [...latencies])).toEqual([[30, 55]]);
    // In the system within the window: 10..60, 20..50 and 100..110.
    expect([...counts.inSystemMs]).toEqual([50 + 30 + 10]);
    expect([...counts.poolBusyMs]).toEqual([0, 20]);
    expect(tally.undecided).toBe(0);
  });

  it('keeps every latency past its first buffer', () => {
    const tally = new SimTally(2, 1, 0, 1_000);
    for (let i = 0; i < 200; i++) {
      tally.arrival(1, i, true);
      tally.completion(1, i, i + 1 + (i % 3), 10);
    }
    const { latenciesMs, completed } = tally.counts();
    expect([...completed]).toEqual([0, 200]);
    expect([...(latenciesMs[1] ?? [])]).toEqual(Array.from({ length: 200 }, (_, i) => 1 + (i % 3)));
    expect(latenciesMs[0]?.length).toBe(0);
  });
});
