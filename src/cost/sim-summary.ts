import type { SimModel } from './sim-model.js';
import type { SimCounts } from './sim-tally.js';
import type { SimLatency, SimPoolResult, SimResult, SimTenantResult } from './sim-types.js';

/** Turns a run's raw counts into per-tenant and per-pool rates, latency percentiles and the objective. */
export function summarize(model: SimModel, counts: SimCounts): SimResult {
  const horizonS = model.horizonMs / 1000;
  const tenants: Record<string, SimTenantResult> = {};
  let weightedThroughputPerS = 0;
  let weightedGoodputPerS = 0;
  let allWithinSlo = true;
  model.tenantNames.forEach((name, t) => {
    const arrived = counts.arrived[t] ?? 0;
    const rejected = counts.rejected[t] ?? 0;
    const completed = counts.completed[t] ?? 0;
    const sloMs = model.sloMs[t] ?? 0;
    const weight = model.weight[t] ?? 0;
    const latencyMs = latencyStats(counts.latenciesMs[t] ?? new Float64Array(0));
    const sloAttainment = arrived > 0 ? (counts.arrivalsWithinSlo[t] ?? 0) / arrived : 1;
    const throughputPerS = completed / horizonS;
    weightedThroughputPerS += weight * throughputPerS;
    weightedGoodputPerS += (weight * (counts.completedWithinSlo[t] ?? 0)) / horizonS;
    // NaN compares false: a tenant with arrivals and no completions fails here.
    const within = arrived === 0 && completed === 0 ? true : latencyMs.p99 <= sloMs && sloAttainment >= 0.99;
    allWithinSlo &&= within;
    tenants[name] = {
      arrived,
      rejected,
      completed,
      throughputPerS,
      latencyMs,
      sloAttainment,
      meanInSystem: (counts.inSystemMs[t] ?? 0) / model.horizonMs,
    };
  });
  const pools: Record<string, SimPoolResult> = {};
  model.poolIds.forEach((id, p) => {
    pools[id] = { utilization: (counts.poolBusyMs[p] ?? 0) / ((model.poolSlots[p] ?? 1) * model.horizonMs) };
  });
  const objective = { weightedThroughputPerS, weightedGoodputPerS, allWithinSlo };
  return counts.trace ? { tenants, pools, objective, trace: counts.trace } : { tenants, pools, objective };
}

/** Mean and nearest-rank percentiles (ms); NaN when there is no sample. Sorts the buffer in place. */
function latencyStats(latenciesMs: Float64Array): SimLatency {
  const n = latenciesMs.length;
  if (n === 0) return { mean: Number.NaN, p50: Number.NaN, p90: Number.NaN, p99: Number.NaN };
  latenciesMs.sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += latenciesMs[i] ?? 0;
  const rank = (p: number) => latenciesMs[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))] ?? Number.NaN;
  return { mean: sum / n, p50: rank(0.5), p90: rank(0.9), p99: rank(0.99) };
}
