import { afterEach, describe, expect, it } from 'vitest';
import { Code } from '../common/index.js';
import { type PolicyWeights, type SearchTask, syntheticProblem, toSearchTask } from '../search/index.js';
import { SearchPool } from './search-pool.js';

/** A small search, LP bound included (its own worker, started from the search's). */
function task(operators: number, options: Partial<SearchTask['options']> = {}): SearchTask {
  const problem = syntheticProblem({ tenants: 2, operators, seed: 5, objective: 'throughput', sloMs: 50 });
  return toSearchTask(problem, { seed: 3, rlEpisodes: 32, refineEvaluations: 60, ...options });
}

const pools: SearchPool[] = [];
function pool(idleMs?: number): SearchPool {
  const made = new SearchPool(idleMs === undefined ? {} : { idleMs });
  pools.push(made);
  return made;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((made) => made.close()));
});

describe('SearchPool', () => {
  it('keeps its worker between searches, and a warm worker plans as a fresh one does', async () => {
    const searches = pool();
    expect(searches.threadIds).toEqual([]);
    const first = await searches.search(task(24), 120_000);
    const [thread] = searches.threadIds;
    expect(thread).toBeGreaterThan(0);
    // Another problem in between: nothing one search leaves may change the next one's plan.
    await searches.search(task(40, { seed: 9 }), 120_000);
    const again = await searches.search(task(24), 120_000);
    expect(searches.threadIds).toEqual([thread]);
    expect(again).toEqual(first);
    expect(again.lpBound?.status).toBe('Optimal');

    const fresh = pool();
    expect(await fresh.search(task(24), 120_000)).toEqual(first);
    expect(fresh.threadIds).not.toEqual([thread]);
  });

  it('runs searches asked for at once one after another in its one worker, each as if alone', async () => {
    const searches = pool();
    const alone = await searches.search(task(16), 120_000);
    const other = await searches.search(task(20, { seed: 4 }), 120_000);
    const [thread] = searches.threadIds;
    const together = await Promise.all([
      searches.search(task(20, { seed: 4 }), 120_000),
      searches.search(task(16), 120_000),
      searches.search(task(20, { seed: 4 }), 120_000),
    ]);
    expect(together).toEqual([other, alone, other]);
    expect(searches.threadIds).toEqual([thread]);
  });

  it("returns the search's error with its code, and the worker serves the next search", async () => {
    const searches = pool();
    await searches.search(task(12), 120_000);
    const [thread] = searches.threadIds;
    // A warm start of another format, as a client may send one.
    const bad = task(12, { warmStart: { format: 'other' } as unknown as PolicyWeights });
    await expect(searches.search(bad, 120_000)).rejects.toMatchObject({
      code: Code.InvalidArgument,
      message: expect.stringMatching(/policy weights: unknown format other/),
    });
    expect(searches.threadIds).toEqual([thread]);
    await expect(searches.search(task(12), 120_000)).resolves.toMatchObject({ seed: 3 });
  });

  it('ends a search past its timeout with DEADLINE_EXCEEDED, and starts a fresh worker for the next', async () => {
    const searches = pool();
    await searches.search(task(12), 120_000);
    const [thread] = searches.threadIds;
    // Thousands of episodes on 5 x 300 operators: far more than 300 ms on any machine.
    const long = toSearchTask(
      syntheticProblem({ tenants: 5, operators: 300, seed: 3, objective: 'throughput', sloMs: 50 }),
      { seed: 1, rlEpisodes: 5_000, refineEvaluations: 5_000 },
    );
    await expect(searches.search(long, 300)).rejects.toMatchObject({
      code: Code.DeadlineExceeded,
      message: expect.stringMatching(/did not finish within 300 ms/),
    });
    await expect(searches.search(task(12), 120_000)).resolves.toMatchObject({ seed: 3 });
    expect(searches.threadIds).toHaveLength(1);
    expect(searches.threadIds).not.toEqual([thread]);
  });

  it('lets its worker go once idle, and starts another for the next search', async () => {
    const searches = pool(50);
    const first = await searches.search(task(12), 120_000);
    const [thread] = searches.threadIds;
    await expect.poll(() => searches.threadIds.length, { timeout: 10_000 }).toBe(0);
    expect(await searches.search(task(12), 120_000)).toEqual(first);
    expect(searches.threadIds).not.toEqual([thread]);
  });

  it('refuses searches once closed, and stops the one in progress with UNAVAILABLE', async () => {
    const searches = pool();
    const running = searches.search(
      toSearchTask(
        syntheticProblem({ tenants: 5, operators: 300, seed: 3, objective: 'throughput', sloMs: 50 }),
        {
          seed: 1,
          rlEpisodes: 5_000,
        },
      ),
      120_000,
    );
    const stopped = expect(running).rejects.toMatchObject({ code: Code.Unavailable });
    await expect.poll(() => searches.threadIds.length, { timeout: 10_000 }).toBe(1);
    await searches.close();
    await stopped;
    await expect(searches.search(task(12), 120_000)).rejects.toMatchObject({ code: Code.Unavailable });
  });
});
