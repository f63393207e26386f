import type { ChromeTraceEvent } from './sim-types.js';

/** The raw counts of one run, per tenant and per pool; summarized into a SimResult elsewhere. */
export interface SimCounts {
  readonly arrived: Int32Array;
  readonly rejected: Int32Array;
  readonly completed: Int32Array;
  /** Window completions within sloMs. */
  readonly completedWithinSlo: Int32Array;
  /** Window arrivals completed within sloMs (whenever they completed). */
  readonly arrivalsWithinSlo: Int32Array;
  /** Latencies (ms) of window completions, in completion order. */
  readonly latenciesMs: readonly Float64Array[];
  /** Integral over the window of requests in the system (request-ms). */
  readonly inSystemMs: Float64Array;
  /** Busy slot-time (ms) per pool within the window. */
  readonly poolBusyMs: Float64Array;
  readonly trace?: ChromeTraceEvent[];
}

/**
 * What one simulation counts within its measurement window [warmMs, endMs): arrivals,
 * rejections, completions and their latencies, requests in the system over time (Little's L),
 * each pool's busy slot-time; and how many window arrivals are still undecided (admitted, not yet
 * completed), which tells the run when it may stop.
 */
export class SimTally {
  private readonly arrived: Int32Array;
  private readonly rejected: Int32Array;
  private readonly completed: Int32Array;
  private readonly completedWithinSlo: Int32Array;
  private readonly arrivalsWithinSlo: Int32Array;
  /** Per tenant, grown by doubling: completions' latencies (ms). */
  private readonly latencies: Float64Array[];
  private readonly inSystemMs: Float64Array;
  private readonly poolBusyMs: Float64Array;
  private readonly inSystem: Int32Array;
  private readonly inSystemSinceMs: Float64Array;
  private undecidedCount = 0;

  constructor(
    tenants: number,
    pools: number,
    private readonly warmMs: number,
    private readonly endMs: number,
  ) {
    this.arrived = new Int32Array(tenants);
    this.rejected = new Int32Array(tenants);
    this.completed = new Int32Array(tenants);
    this.completedWithinSlo = new Int32Array(tenants);
    this.arrivalsWithinSlo = new Int32Array(tenants);
    this.latencies = Array.from({ length: tenants }, () => new Float64Array(64));
    this.inSystemMs = new Float64Array(tenants);
    this.poolBusyMs = new Float64Array(pools);
    this.inSystem = new Int32Array(tenants);
    this.inSystemSinceMs = new Float64Array(tenants);
  }

  /** Window arrivals whose outcome (within SLO or not) is still open. */
  get undecided(): number {
    return this.undecidedCount;
  }

  /** A request arrived at `nowMs`; rejected at admission or let into its tenant's queue. */
  arrival(tenant: number, nowMs: number, admitted: boolean): void {
    const inWindow = this.inWindow(nowMs);
    if (inWindow) this.arrived[tenant] = (this.arrived[tenant] ?? 0) + 1;
    if (!admitted) {
      if (inWindow) this.rejected[tenant] = (this.rejected[tenant] ?? 0) + 1;
      return;
    }
    this.integrate(tenant, nowMs);
    this.inSystem[tenant] = (this.inSystem[tenant] ?? 0) + 1;
    if (inWindow) this.undecidedCount++;
  }

  /** A request that arrived at `arrivalMs` completed at `nowMs`. */
  completion(tenant: number, arrivalMs: number, nowMs: number, sloMs: number): void {
    const latencyMs = nowMs - arrivalMs;
    const withinSlo = latencyMs <= sloMs;
    if (this.inWindow(nowMs)) {
      const completed = this.completed[tenant] ?? 0;
      let buffer = this.latencies[tenant] as Float64Array;
      if (completed === buffer.length) {
        const grown = new Float64Array(buffer.length * 2);
        grown.set(buffer);
        buffer = grown;
        this.latencies[tenant] = buffer;
      }
      buffer[completed] = latencyMs;
      this.completed[tenant] = completed + 1;
      if (withinSlo) this.completedWithinSlo[tenant] = (this.completedWithinSlo[tenant] ?? 0) + 1;
    }
    if (this.inWindow(arrivalMs)) {
      this.undecidedCount--;
      if (withinSlo) this.arrivalsWithinSlo[tenant] = (this.arrivalsWithinSlo[tenant] ?? 0) + 1;
    }
    this.integrate(tenant, nowMs);
    this.inSystem[tenant] = (this.inSystem[tenant] ?? 1) - 1;
  }

  /** `slots` of a pool busy from startMs to endMs: counted where that overlaps the window. */
  poolBusy(pool: number, slots: number, startMs: number, endMs: number): void {
    const from = Math.max(startMs, this.warmMs);
    const to = Math.min(endMs, this.endMs);
    if (to > from) this.poolBusyMs[pool] = (this.poolBusyMs[pool] ?? 0) + slots * (to - from);
  }

  /** The window's counts, requests in the system integrated to its end. */
  counts(trace?: ChromeTraceEvent[]): SimCounts {
    for (let t = 0; t < this.inSystem.length; t++) this.integrate(t, this.endMs);
    return {
      arrived: this.arrived,
      rejected: this.rejected,
      completed: this.completed,
      completedWithinSlo: this.completedWithinSlo,
      arrivalsWithinSlo: this.arrivalsWithinSlo,
      latenciesMs: this.latencies.map((buffer, t) => buffer.subarray(0, this.completed[t] ?? 0)),
      inSystemMs: this.inSystemMs,
      poolBusyMs: this.poolBusyMs,
      ...(trace ? { trace } : {}),
    };
  }

  /** Is `nowMs` inside the measurement window? */
  private inWindow(nowMs: number): boolean {
    return nowMs >= this.warmMs && nowMs < this.endMs;
  }

  /** Adds the tenant's in-system count times the time since its last change, clipped to the window. */
  private integrate(tenant: number, nowMs: number): void {
    const sinceMs = this.inSystemSinceMs[tenant] ?? 0;
    this.inSystemSinceMs[tenant] = nowMs;
    const from = Math.max(sinceMs, this.warmMs);
    const to = Math.min(nowMs, this.endMs);
    if (to > from) {
      this.inSystemMs[tenant] = (this.inSystemMs[tenant] ?? 0) + (this.inSystem[tenant] ?? 0) * (to - from);
    }
  }
}
