/**
 * The simulator's input and output: tenants (served models) with their plans cut into segments,
 * the machine's processor pools, and what came out of running them together for a while.
 * Times are milliseconds of simulated time unless a name says otherwise.
 */

/** A processor pool: the CPU worker threads, or one GPU (`gpu:0`, `gpu:1`, ...). */
export type SimPoolId = 'cpu' | `gpu:${number}`;

/** One segment of a tenant's plan: runs on one processor pool once its dependencies finished. */
export interface SimSegment {
  /** Index in the tenant's segments, which are in topological order. */
  readonly id: number;
  readonly pool: SimPoolId;
  /** Predicted execution time (ms) when nothing else interferes; >= 0. */
  readonly durationMs: number;
  /** Segments whose outputs it reads (must finish first); each lower than `id`. */
  readonly deps: readonly number[];
  /**
   * Cost (ms) before it can start: moving its inputs (thread hand-off, host<->device copies).
   * It delays the segment and occupies no pool.
   */
  readonly handoffMs: number;
  /** Key into SimConfig.cpuInterference; read for CPU segments only. */
  readonly interferenceClass?: string;
  /**
   * How its time varies from run to run: each run takes durationMs x e^(σz), z a standard normal
   * drawn from the run's seed, so durationMs stays the median. 0 or absent: every run the same.
   * Without it, closed-loop clients fall into lockstep (each served once per round whatever its
   * time), which real runs, never quite equal, do not.
   */
  readonly spreadLogSd?: number;
  /**
   * Slots of its pool it holds while it runs: a CPU segment with a wider thread budget (more
   * intra-op threads) holds as many worker slots as its threads cover. At most the pool's slots.
   * Default 1. While it is first in line on its pool (earliest SLO deadline), no other segment
   * starts there, even one that would fit: it would starve otherwise.
   */
  readonly slots?: number;
}

/** How a tenant's requests arrive. */
export type SimArrival =
  /** Open loop: exponential inter-arrival times, `ratePerS` requests per simulated second on average. */
  | { readonly kind: 'poisson'; readonly ratePerS: number }
  /** Closed loop: each client sends, waits for the answer (or rejection), thinks `thinkMs`, sends again. */
  | { readonly kind: 'closed'; readonly clients: number; readonly thinkMs: number };

/** A served model with its plan and its load. */
export interface SimTenant {
  /** Unique among the tenants; keys the result. */
  readonly name: string;
  /** Latency objective (ms, arrival to completion, queueing included); > 0 and finite. */
  readonly sloMs: number;
  /** Importance in the objective; >= 0. */
  readonly weight: number;
  readonly arrival: SimArrival;
  readonly segments: readonly SimSegment[];
  /** Cost (ms) after the last segment (returning outputs); delays completion, holds the request slot. */
  readonly outputMs?: number;
  /**
   * CPU pool time (ms) each request costs beyond its segments' runs: workers waiting for the main
   * thread to hand them work (busy with requests, their garbage, or a core to find). Held on one
   * CPU slot, ahead of waiting segments, once the request completes: it adds nothing to the
   * request's own latency, only to others' waits for a slot. Absent or 0: none; ignored without a
   * 'cpu' pool.
   */
  readonly workerIdleMs?: number;
}

/** Concurrent executions: CPU worker threads; a GPU: 1 device queue, or more concurrent sessions. */
export interface SimPool {
  readonly id: SimPoolId;
  readonly slots: number;
}

export interface SimConfig {
  readonly pools: readonly SimPool[];
  /** Requests executing at once (the dispatcher's slots). */
  readonly requestSlots: number;
  /** Per-tenant queue bound (requests waiting, not executing); arrivals beyond it are rejected. May be Infinity. */
  readonly maxQueueLength: number;
  /** Simulated time measured, after the warm-up (ms). */
  readonly horizonMs: number;
  /** Simulated time before measurement starts (ms); requests completing before it are not counted. */
  readonly warmupMs: number;
  /** Seeds the arrival streams; a safe integer. */
  readonly seed: number;
  /**
   * Slowdown of a CPU segment given how many OTHER CPU slots are busy when it starts: factor[k]
   * (k beyond the array uses the last); per interference class, 'default' when the class is
   * missing, 1 when that is missing too.
   */
  readonly cpuInterference?: Readonly<Record<string, readonly number[]>>;
  /** Record a Chrome trace (slower). */
  readonly trace?: boolean;
}

/** One event of the Chrome trace format (the JSON form Perfetto and chrome://tracing open). */
export interface ChromeTraceEvent {
  readonly name: string;
  /** 'X': a complete span; 'M': metadata naming a process or thread. */
  readonly ph: 'X' | 'M';
  /** The track group: a pool (named by an 'M' process_name event), or the dispatcher. */
  readonly pid: number;
  /** The track within it: a pool slot, or a lane of queue waits. */
  readonly tid: number;
  /** Start (µs of simulated time). */
  readonly ts: number;
  /** Length (µs); present on 'X' events. */
  readonly dur?: number;
  readonly cat?: string;
  readonly args?: Readonly<Record<string, string | number>>;
}

/** Latency of the requests completed in the measured window (ms); NaN when none completed. */
export interface SimLatency {
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

export interface SimTenantResult {
  /** Arrivals in the measured window, rejected ones included. */
  readonly arrived: number;
  /** Arrivals in the measured window refused because the tenant's queue was full. */
  readonly rejected: number;
  /** Requests completed in the measured window (whenever they arrived). */
  readonly completed: number;
  /** completed / horizon (requests per simulated second). */
  readonly throughputPerS: number;
  readonly latencyMs: SimLatency;
  /**
   * Fraction of the window's arrivals completed within sloMs (rejected ones count as misses;
   * the run goes on past the window until each is decided); 1 when none arrived.
   */
  readonly sloAttainment: number;
  /** Time-average of this tenant's requests queued or executing over the window (Little's L). */
  readonly meanInSystem: number;
}

export interface SimPoolResult {
  /** Busy slot-time / (slots * horizon) over the measured window, in [0, 1]. */
  readonly utilization: number;
}

export interface SimObjective {
  /** Sum over tenants of weight * throughputPerS. */
  readonly weightedThroughputPerS: number;
  /** Sum over tenants of weight * (window completions within sloMs) / horizon. */
  readonly weightedGoodputPerS: number;
  /**
   * Every tenant's p99 <= sloMs, rejections counted as misses (so also sloAttainment >= 0.99);
   * a tenant that had arrivals but completed none fails.
   */
  readonly allWithinSlo: boolean;
}

export interface SimResult {
  readonly tenants: Record<string, SimTenantResult>;
  readonly pools: Record<string, SimPoolResult>;
  readonly objective: SimObjective;
  /** Present when SimConfig.trace: execution spans per pool slot and queue-wait spans. */
  readonly trace?: ChromeTraceEvent[];
}
