import { describe, expect, it } from 'vitest';
import { threadBudgets } from './search-workload.js';

/** A profile with CPU measurements at these thread counts (the budgets read nothing else). */
const measuredAt = (...threads: number[]) => ({
  cpu: Object.fromEntries(threads.map((count) => [String(count), {} as never])),
});

describe('threadBudgets', () => {
  it('offers every multiple of the intra-op threads up to all the CPU workers, where every profile measured it', () => {
    const notes: string[] = [];
    const budgets = threadBudgets(
      { cpuThreads: 4, intraOpThreads: 1 },
      [measuredAt(1, 2, 4), measuredAt(1, 2, 3, 4)],
      notes,
    );
    expect(budgets).toEqual([
      { threads: 2, slots: 2 },
      { threads: 4, slots: 4 },
    ]);
    expect(notes).toEqual([
      'CPU thread budgets: 2 threads on 2 slots, 4 threads on 4 slots',
      'no CPU thread budget of 3 threads: not every model’s profile measured them (hetsched profile --threads 1,3)'.replace(
        '’',
        "'",
      ),
    ]);
  });

  it('counts slots in workers of the intra-op threads, and offers none on one worker', () => {
    expect(threadBudgets({ cpuThreads: 2, intraOpThreads: 2 }, [measuredAt(2, 4)], [])).toEqual([
      { threads: 4, slots: 2 },
    ]);
    const notes: string[] = [];
    expect(threadBudgets({ cpuThreads: 1, intraOpThreads: 1 }, [measuredAt(1, 2)], notes)).toEqual([]);
    expect(notes).toEqual([]);
  });
});
