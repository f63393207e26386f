/**
 * Suite `simulator`: how many evaluations per second the placement search gets from the
 * simulator, on one core. Five tenants whose plans total 1,500 operators, a 2-slot CPU pool and
 * one GPU, Poisson loads mixed so the busier pool runs near 70%, 2 s measured after 0.2 s of
 * warm-up; each evaluation takes a fresh seed, as a search would.
 * - `sim_*`: 60 segments of 5 operators per tenant, 0.05-5 ms each (the target case: 200 evals/s).
 * - `fine_*`: 100 segments of 3 operators per tenant, 0.02-1 ms each: the same operators cut
 *   finer and faster, so several times the requests and events per evaluation.
 * - `traced_*`: the target case recording a Chrome trace, to show what tracing costs.
 */
import { performance } from 'node:perf_hooks';
import { Rng } from '../src/common/index.js';
import { type SimConfig, type SimSegment, type SimTenant, simulate } from '../src/cost/index.js';
import { round } from './stats.js';

const TENANTS = 5;
const LOAD_SHARES = [0.3, 0.25, 0.2, 0.15, 0.1] as const;
const TARGET_UTILIZATION = 0.7;
const TARGET_EVALS_PER_S = 200;
const CPU_SLOTS = 2;
const CONFIG: SimConfig = {
  pools: [
    { id: 'cpu', slots: CPU_SLOTS },
    { id: 'gpu:0', slots: 1 },
  ],
  requestSlots: 8,
  maxQueueLength: 32,
  horizonMs: 2000,
  warmupMs: 200,
  seed: 1,
  cpuInterference: { default: [1, 1.15] },
};

interface Shape {
  readonly segments: number;
  readonly operatorsPerSegment: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export async function simSpeed(): Promise<Record<string, unknown>> {
  const main = scenario({ segments: 60, operatorsPerSegment: 5, minMs: 0.05, maxMs: 5 });
  const fine = scenario({ segments: 100, operatorsPerSegment: 3, minMs: 0.02, maxMs: 1 });
  measure(main, CONFIG, 300); // JIT warm-up
  const plain = measure(main, CONFIG, 3000);
  const traced = measure(main, { ...CONFIG, trace: true }, 750);
  const finer = measure(fine, CONFIG, 1500);
  process.stderr.write(
    `sim-speed: ${round(plain.evalsPerS)} evals/s (${round(plain.requestsPerEval)} requests each), ` +
      `${round(finer.evalsPerS)} fine-cut, ${round(traced.evalsPerS)} traced\n`,
  );
  return {
    tenants: TENANTS,
    operators: 1500,
    sim_evals_per_s: round(plain.evalsPerS),
    simulated_requests_per_eval: round(plain.requestsPerEval),
    rejected_fraction: round(plain.rejectedFraction),
    cpu_utilization: round(plain.cpuUtilization),
    gpu_utilization: round(plain.gpuUtilization),
    target_evals_per_s: TARGET_EVALS_PER_S,
    ratio_to_target: round(plain.evalsPerS / TARGET_EVALS_PER_S),
    fine_evals_per_s: round(finer.evalsPerS),
    fine_requests_per_eval: round(finer.requestsPerEval),
    fine_gpu_utilization: round(finer.gpuUtilization),
    traced_evals_per_s: round(traced.evalsPerS),
    trace_slowdown: round(plain.evalsPerS / traced.evalsPerS),
  };
}

/** Runs evaluations with successive seeds for about `budgetMs` of wall time; averages their outcomes. */
function measure(tenants: readonly SimTenant[], config: SimConfig, budgetMs: number) {
  let evals = 0;
  let requests = 0;
  let arrived = 0;
  let rejected = 0;
  let cpuUtilization = 0;
  let gpuUtilization = 0;
  const started = performance.now();
  let elapsedMs = 0;
  while (elapsedMs < budgetMs) {
    const result = simulate(tenants, { ...config, seed: config.seed + evals });
    for (const tenant of Object.values(result.tenants)) {
      requests += tenant.completed;
      arrived += tenant.arrived;
      rejected += tenant.rejected;
    }
    cpuUtilization += result.pools.cpu?.utilization ?? 0;
    gpuUtilization += result.pools['gpu:0']?.utilization ?? 0;
    evals++;
    elapsedMs = performance.now() - started;
  }
  return {
    evalsPerS: (evals * 1000) / elapsedMs,
    requestsPerEval: requests / evals,
    rejectedFraction: rejected / Math.max(1, arrived),
    cpuUtilization: cpuUtilization / evals,
    gpuUtilization: gpuUtilization / evals,
  };
}

function scenario(shape: Shape): SimTenant[] {
  const rng = new Rng(20240601);
  return withLoads(Array.from({ length: TENANTS }, () => buildPlan(rng, shape)));
}

/**
 * A plan: mostly a chain, with segments that run beside their predecessor (both reading the one
 * before) and joins reading two branches; 60% on the GPU. Hand-offs cost more across processors.
 */
function buildPlan(rng: Rng, shape: Shape): SimSegment[] {
  const segments: SimSegment[] = [];
  for (let id = 0; id < shape.segments; id++) {
    const pool = rng.bool(0.6) ? 'gpu:0' : 'cpu';
    const deps: number[] = [];
    if (id > 0) deps.push(id >= 2 && rng.bool(0.3) ? id - 2 : id - 1);
    if (id >= 3 && rng.bool(0.25) && !deps.includes(id - 1)) deps.push(id - 1);
    const crosses = deps.some((dep) => segments[dep]?.pool !== pool);
    segments.push({
      id,
      pool,
      // Log-uniform: many small segments, a few heavy ones.
      durationMs: shape.minMs * (shape.maxMs / shape.minMs) ** rng.float(),
      deps,
      handoffMs: crosses ? rng.range(0.05, 0.3) : 0.01,
    });
  }
  return segments;
}

/** Poisson rates in LOAD_SHARES proportions, scaled so the busier pool reaches TARGET_UTILIZATION. */
function withLoads(plans: readonly SimSegment[][]): SimTenant[] {
  let cpuMsPerUnit = 0;
  let gpuMsPerUnit = 0;
  plans.forEach((segments, t) => {
    const share = LOAD_SHARES[t] ?? 0;
    for (const segment of segments) {
      if (segment.pool === 'cpu') cpuMsPerUnit += (share * segment.durationMs) / CPU_SLOTS;
      else gpuMsPerUnit += share * segment.durationMs;
    }
  });
  // Requests per second, over all tenants, that fill the busier pool to the target.
  const totalRatePerS = (TARGET_UTILIZATION * 1000) / Math.max(cpuMsPerUnit, gpuMsPerUnit);
  return plans.map((segments, t) => {
    const serialMs = segments.reduce((sum, segment) => sum + segment.durationMs + segment.handoffMs, 0);
    return {
      name: `tenant${t}`,
      sloMs: 3 * serialMs,
      weight: 1,
      arrival: { kind: 'poisson', ratePerS: totalRatePerS * (LOAD_SHARES[t] ?? 0) },
      segments,
      outputMs: 0.05,
    };
  });
}
