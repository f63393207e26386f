import { constants, type PerformanceEntry, PerformanceObserver, performance } from 'node:perf_hooks';

/** What this (the main) thread did while watched. */
export interface MainThreadLoad {
  /** Its event loop's busy share of the time. */
  readonly busy: number;
  /** Garbage collections: their pauses' total (ms) and count, and how many were full (mark-compact). */
  readonly gcMs: number;
  readonly gcCount: number;
  readonly fullGcCount: number;
}

/** Watches this thread until stopped: its event loop's busy share and its garbage collections. */
export function watchMainThread(): { stop(): MainThreadLoad } {
  const before = performance.eventLoopUtilization();
  let gcMs = 0;
  let gcCount = 0;
  let fullGcCount = 0;
  const count = (entries: readonly PerformanceEntry[]) => {
    for (const entry of entries) {
      gcMs += entry.duration;
      gcCount++;
      const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
      if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) fullGcCount++;
    }
  };
  const observer = new PerformanceObserver((list) => count(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      // Entries are delivered after the fact: count the ones still buffered before disconnecting.
      count(observer.takeRecords());
      observer.disconnect();
      return { busy: performance.eventLoopUtilization(before).utilization, gcMs, gcCount, fullGcCount };
    },
  };
}
