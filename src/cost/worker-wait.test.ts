import { describe, expect, it } from 'vitest';
import { workerWaitFloors, workerWaitMs } from './worker-wait.js';

const MiB = 1 << 20;
/** Short runs wait longest, as measured on the 2-vCPU host. */
const SHORT_RUNS_WAIT_LONGEST = {
  points: [
    { runMs: 0.1, fixedMs: 0.3, msPerMiB: 0.4 },
    { runMs: 1, fixedMs: 0.1, msPerMiB: 0.2 },
  ],
};

describe('workerWaitMs', () => {
  it('interpolates between the measured points in the run’s length and holds beyond them', () => {
    expect(workerWaitMs(SHORT_RUNS_WAIT_LONGEST, 0.55, MiB)).toBeCloseTo(0.2 + 0.3, 12);
    expect(workerWaitMs(SHORT_RUNS_WAIT_LONGEST, 0.01, 2 * MiB)).toBeCloseTo(0.3 + 0.8, 12);
    expect(workerWaitMs(SHORT_RUNS_WAIT_LONGEST, 50, 0)).toBeCloseTo(0.1, 12);
  });

  it('is 0 where nothing was measured', () => {
    expect(workerWaitMs({ points: [] }, 1, MiB)).toBe(0);
    expect(workerWaitFloors({ points: [] }, 1)).toEqual({ fixedMs: 0, msPerMiB: 0 });
  });
});

describe('workerWaitFloors', () => {
  it('is the least of each part over runs no longer than asked', () => {
    const atHalf = 0.3 - (0.4 / 0.9) * 0.2;
    expect(workerWaitFloors(SHORT_RUNS_WAIT_LONGEST, Number.POSITIVE_INFINITY)).toEqual({
      fixedMs: 0.1,
      msPerMiB: 0.2,
    });
    const half = workerWaitFloors(SHORT_RUNS_WAIT_LONGEST, 0.5);
    expect(half.fixedMs).toBeCloseTo(atHalf, 12);
    expect(half.msPerMiB).toBeCloseTo(atHalf + 0.1, 12);
    expect(workerWaitFloors(SHORT_RUNS_WAIT_LONGEST, 0.05)).toEqual({ fixedMs: 0.3, msPerMiB: 0.4 });
  });

  it('never exceeds the wait of any run in the range, with a minimum inside it', () => {
    // The fixed part dips at 1 ms: the floor up to 3 ms is that measured point, not an end.
    const dipping = {
      points: [
        { runMs: 0.5, fixedMs: 0.3, msPerMiB: 0.1 },
        { runMs: 1, fixedMs: 0.05, msPerMiB: 0.1 },
        { runMs: 2, fixedMs: 0.4, msPerMiB: 0.1 },
      ],
    };
    const floor = workerWaitFloors(dipping, 3);
    expect(floor.fixedMs).toBeCloseTo(0.05, 12);
    for (let runMs = 0; runMs <= 3; runMs += 0.01)
      expect(workerWaitMs(dipping, runMs, MiB)).toBeGreaterThanOrEqual(
        floor.fixedMs + floor.msPerMiB - 1e-12,
      );
  });
});
