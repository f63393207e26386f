import { Simulation } from './sim-engine.js';
import { buildModel } from './sim-model.js';
import { summarize } from './sim-summary.js';
import type { SimConfig, SimResult, SimTenant } from './sim-types.js';
import { validateSim } from './sim-validate.js';

/**
 * Runs tenants sharing the machine's processor pools under a plan, as a discrete-event
 * simulation, and reports what each tenant and pool saw in the window
 * [warmupMs, warmupMs + horizonMs) of simulated time. Pure and deterministic: the same tenants,
 * config and seed give the same result. This is the placement search's evaluator, so it is built
 * to run thousands of times per search (see bench/sim-speed.ts).
 *
 * @throws HetschedError INVALID_ARGUMENT naming the first invalid field.
 */
export function simulate(tenants: readonly SimTenant[], config: SimConfig): SimResult {
  validateSim(tenants, config);
  const model = buildModel(tenants, config);
  return summarize(model, new Simulation(model).run());
}
