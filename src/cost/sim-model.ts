import type { SimConfig, SimTenant } from './sim-types.js';

/**
 * The simulator's input flattened into typed arrays: the event loop touches only numbers indexed
 * by small integers, never objects, strings or maps. Segment `s` of tenant `t` has the global
 * index `segmentBase[t] + s`. Built from an already validated input.
 */
export interface SimModel {
  readonly tenantCount: number;
  readonly tenantNames: readonly string[];
  readonly sloMs: Float64Array;
  readonly weight: Float64Array;
  /** 1 for a closed-loop tenant, 0 for Poisson. */
  readonly closed: Uint8Array;
  /** Poisson: mean inter-arrival time (ms), Infinity when the rate is 0. */
  readonly meanGapMs: Float64Array;
  readonly clients: Int32Array;
  readonly thinkMs: Float64Array;
  readonly outputMs: Float64Array;
  /** CPU pool time per completed request beyond its segments (SimTenant.workerIdleMs); 0 without a CPU pool. */
  readonly workerIdleMs: Float64Array;
  /** Index of the 'cpu' pool in poolIds; -1 when there is none. */
  readonly cpuPool: number;
  /** tenantCount + 1 entries: tenant t's segments are segmentBase[t] .. segmentBase[t + 1] - 1. */
  readonly segmentBase: Int32Array;
  /** The most segments any tenant has: the stride of per-request segment state. */
  readonly maxSegments: number;
  readonly segmentPool: Int32Array;
  readonly durationMs: Float64Array;
  readonly handoffMs: Float64Array;
  /** Pool slots each segment holds while it runs (SimSegment.slots). */
  readonly segmentSlots: Int32Array;
  /** Log-normal σ of each segment's run-to-run variation (0: none). */
  readonly spreadLogSd: Float64Array;
  /** Where the segment's interference factors start in `factors` (indexed by busy other CPU slots); -1: none. */
  readonly factorBase: Int32Array;
  readonly depCount: Int32Array;
  /** CSR of successors: successors of global segment g are successors[successorStart[g] ..] (tenant-local ids). */
  readonly successorStart: Int32Array;
  readonly successors: Int32Array;
  /** CSR of segments without deps per tenant (tenant-local ids). */
  readonly rootStart: Int32Array;
  readonly roots: Int32Array;
  /** Per interference class used, cpuSlots factors, already clamped to the class's last entry. */
  readonly factors: Float64Array;
  readonly poolIds: readonly string[];
  readonly poolSlots: Int32Array;
  readonly requestSlots: number;
  readonly maxQueueLength: number;
  readonly warmupMs: number;
  readonly horizonMs: number;
  readonly seed: number;
  readonly trace: boolean;
}

/** Flattens a validated input (validateSim) into a SimModel. */
export function buildModel(tenants: readonly SimTenant[], config: SimConfig): SimModel {
  const tenantCount = tenants.length;
  const poolIds = config.pools.map((pool) => pool.id);
  const poolIndex = new Map(poolIds.map((id, index) => [id, index]));
  const poolSlots = Int32Array.from(config.pools, (pool) => pool.slots);
  const cpuPool = poolIndex.get('cpu') ?? -1;
  const cpuSlots = cpuPool >= 0 ? (poolSlots[cpuPool] ?? 1) : 0;

  const segmentBase = new Int32Array(tenantCount + 1);
  let maxSegments = 0;
  tenants.forEach((tenant, t) => {
    segmentBase[t + 1] = (segmentBase[t] ?? 0) + tenant.segments.length;
    maxSegments = Math.max(maxSegments, tenant.segments.length);
  });
  const total = segmentBase[tenantCount] ?? 0;

  const segmentPool = new Int32Array(total);
  const durationMs = new Float64Array(total);
  const handoffMs = new Float64Array(total);
  const spreadLogSd = new Float64Array(total);
  const segmentSlots = new Int32Array(total);
  const factorBase = new Int32Array(total).fill(-1);
  const depCount = new Int32Array(total);
  const successorCount = new Int32Array(total);
  const rootStart = new Int32Array(tenantCount + 1);
  const rootList: number[] = [];
  const classBase = new Map<string, number>();
  const factors: number[] = [];
  const interference = config.cpuInterference;

  tenants.forEach((tenant, t) => {
    const base = segmentBase[t] ?? 0;
    for (const segment of tenant.segments) {
      const g = base + segment.id;
      const pool = poolIndex.get(segment.pool) ?? 0;
      segmentPool[g] = pool;
      durationMs[g] = segment.durationMs;
      handoffMs[g] = segment.handoffMs;
      spreadLogSd[g] = segment.spreadLogSd ?? 0;
      segmentSlots[g] = segment.slots ?? 1;
      depCount[g] = segment.deps.length;
      if (segment.deps.length === 0) rootList.push(segment.id);
      for (const dep of segment.deps) successorCount[base + dep] = (successorCount[base + dep] ?? 0) + 1;
      if (pool === cpuPool && interference !== undefined) {
        const name = segment.interferenceClass ?? 'default';
        // hasOwn: a class named like an Object.prototype member must not find that member.
        const key = Object.hasOwn(interference, name) ? name : 'default';
        const table = Object.hasOwn(interference, key) ? interference[key] : undefined;
        if (table !== undefined) {
          let at = classBase.get(key);
          if (at === undefined) {
            at = factors.length;
            classBase.set(key, at);
            for (let k = 0; k < cpuSlots; k++) factors.push(table[Math.min(k, table.length - 1)] ?? 1);
          }
          factorBase[g] = at;
        }
      }
    }
    rootStart[t + 1] = rootList.length;
  });

  const successorStart = new Int32Array(total + 1);
  for (let g = 0; g < total; g++) successorStart[g + 1] = (successorStart[g] ?? 0) + (successorCount[g] ?? 0);
  const successors = new Int32Array(successorStart[total] ?? 0);
  const filled = new Int32Array(total);
  tenants.forEach((tenant, t) => {
    const base = segmentBase[t] ?? 0;
    for (const segment of tenant.segments) {
      for (const dep of segment.deps) {
        const g = base + dep;
        const at = (successorStart[g] ?? 0) + (filled[g] ?? 0);
        successors[at] = segment.id;
        filled[g] = (filled[g] ?? 0) + 1;
      }
    }
  });

  return {
    tenantCount,
    tenantNames: tenants.map((tenant) => tenant.name),
    sloMs: Float64Array.from(tenants, (tenant) => tenant.sloMs),
    weight: Float64Array.from(tenants, (tenant) => tenant.weight),
    closed: Uint8Array.from(tenants, (tenant) => (tenant.arrival.kind === 'closed' ? 1 : 0)),
    meanGapMs: Float64Array.from(tenants, (tenant) =>
      tenant.arrival.kind === 'poisson' && tenant.arrival.ratePerS > 0
        ? 1000 / tenant.arrival.ratePerS
        : Number.POSITIVE_INFINITY,
    ),
    clients: Int32Array.from(tenants, (tenant) =>
      tenant.arrival.kind === 'closed' ? tenant.arrival.clients : 0,
    ),
    thinkMs: Float64Array.from(tenants, (tenant) =>
      tenant.arrival.kind === 'closed' ? tenant.arrival.thinkMs : 0,
    ),
    outputMs: Float64Array.from(tenants, (tenant) => tenant.outputMs ?? 0),
    workerIdleMs: Float64Array.from(tenants, (tenant) => (cpuPool >= 0 ? (tenant.workerIdleMs ?? 0) : 0)),
    cpuPool,
    segmentBase,
    maxSegments,
    segmentPool,
    durationMs,
    handoffMs,
    spreadLogSd,
    segmentSlots,
    factorBase,
    depCount,
    successorStart,
    successors,
    rootStart,
    roots: Int32Array.from(rootList),
    factors: Float64Array.from(factors),
    poolIds,
    poolSlots,
    requestSlots: config.requestSlots,
    maxQueueLength: config.maxQueueLength,
    warmupMs: config.warmupMs,
    horizonMs: config.horizonMs,
    seed: config.seed,
    trace: config.trace === true,
  };
}
