import { Code, HetschedError } from '../common/index.js';
import type { SimConfig, SimTenant } from './sim-types.js';

const POOL_ID = /^(cpu|gpu:(0|[1-9]\d*))$/;
const MAX_INSTANCES = 2 ** 28;

/**
 * Checks the simulator's input once, before the hot loop trusts it, and throws INVALID_ARGUMENT
 * naming the first problem: the search builds these inputs and a bad one is a bug to see at once,
 * not a NaN in an objective thousands of evaluations later.
 */
export function validateSim(tenants: readonly SimTenant[], config: SimConfig): void {
  validateConfig(config);
  const pools = new Map(config.pools.map((pool) => [pool.id, pool.slots]));
  const names = new Set<string>();
  for (const tenant of tenants) {
    if (typeof tenant.name !== 'string' || tenant.name.length === 0) fail('a tenant has an empty name');
    if (names.has(tenant.name)) fail(`tenant '${tenant.name}' appears twice`);
    names.add(tenant.name);
    validateTenant(tenant, pools, config);
  }
  // Events carry (request slot, segment) packed into an int32 (sim-engine.ts).
  const maxSegments = Math.max(1, ...tenants.map((tenant) => tenant.segments.length));
  if (config.requestSlots * 2 ** Math.ceil(Math.log2(maxSegments)) > MAX_INSTANCES) {
    fail(
      `config.requestSlots (${config.requestSlots}) times ${maxSegments} segments is too large to simulate`,
    );
  }
}

function validateConfig(config: SimConfig): void {
  if (config.pools.length === 0) fail('config.pools is empty: the simulator needs at least one pool');
  const seen = new Set<string>();
  for (const pool of config.pools) {
    if (!POOL_ID.test(pool.id)) fail(`pool id '${pool.id}' is neither 'cpu' nor 'gpu:N'`);
    if (seen.has(pool.id)) fail(`pool '${pool.id}' appears twice in config.pools`);
    seen.add(pool.id);
    if (!isPositiveInteger(pool.slots))
      fail(`pool '${pool.id}' slots must be a positive integer, got ${pool.slots}`);
  }
  if (!isPositiveInteger(config.requestSlots)) {
    fail(`config.requestSlots must be a positive integer, got ${config.requestSlots}`);
  }
  if (!(isPositiveInteger(config.maxQueueLength) || config.maxQueueLength === Number.POSITIVE_INFINITY)) {
    fail(`config.maxQueueLength must be a positive integer or Infinity, got ${config.maxQueueLength}`);
  }
  if (!(Number.isFinite(config.horizonMs) && config.horizonMs > 0)) {
    fail(`config.horizonMs must be positive and finite, got ${config.horizonMs}`);
  }
  if (!isNonNegative(config.warmupMs))
    fail(`config.warmupMs must be >= 0 and finite, got ${config.warmupMs}`);
  if (!Number.isSafeInteger(config.seed)) fail(`config.seed must be a safe integer, got ${config.seed}`);
  for (const [name, factors] of Object.entries(config.cpuInterference ?? {})) {
    if (factors.length === 0) fail(`cpuInterference '${name}' is empty: give at least factor[0]`);
    for (const factor of factors) {
      if (!(Number.isFinite(factor) && factor > 0)) {
        fail(`cpuInterference '${name}' has factor ${factor}: factors must be positive and finite`);
      }
    }
  }
}

function validateTenant(tenant: SimTenant, pools: ReadonlyMap<string, number>, config: SimConfig): void {
  const where = `tenant '${tenant.name}'`;
  if (!(Number.isFinite(tenant.sloMs) && tenant.sloMs > 0)) {
    fail(`${where}: sloMs must be positive and finite, got ${tenant.sloMs}`);
  }
  if (!isNonNegative(tenant.weight)) fail(`${where}: weight must be >= 0 and finite, got ${tenant.weight}`);
  if (tenant.workerIdleMs !== undefined && !isNonNegative(tenant.workerIdleMs)) {
    fail(`${where}: workerIdleMs must be >= 0 and finite, got ${tenant.workerIdleMs}`);
  }
  if (tenant.outputMs !== undefined && !isNonNegative(tenant.outputMs)) {
    fail(`${where}: outputMs must be >= 0 and finite, got ${tenant.outputMs}`);
  }
  const { arrival } = tenant;
  if (arrival.kind === 'poisson') {
    if (!isNonNegative(arrival.ratePerS)) {
      fail(`${where}: arrival.ratePerS must be >= 0 and finite, got ${arrival.ratePerS}`);
    }
  } else if (arrival.kind === 'closed') {
    if (!(Number.isSafeInteger(arrival.clients) && arrival.clients >= 0)) {
      fail(`${where}: arrival.clients must be a non-negative integer, got ${arrival.clients}`);
    }
    if (!isNonNegative(arrival.thinkMs)) {
      fail(`${where}: arrival.thinkMs must be >= 0 and finite, got ${arrival.thinkMs}`);
    }
    // A rejected client retries after thinkMs; at 0 it would retry at the same instant forever.
    if (arrival.thinkMs === 0 && arrival.clients > config.maxQueueLength) {
      fail(
        `${where}: ${arrival.clients} clients with thinkMs 0 can overflow a queue of ${config.maxQueueLength} ` +
          'and would retry a rejection at the same instant forever; give thinkMs > 0',
      );
    }
  } else {
    fail(`${where}: arrival.kind must be 'poisson' or 'closed'`);
  }
  tenant.segments.forEach((segment, index) => {
    const at = `${where} segment ${index}`;
    if (segment.id !== index) fail(`${at}: id is ${segment.id}, must equal its index ${index}`);
    if (!pools.has(segment.pool)) fail(`${at}: pool '${segment.pool}' is not in config.pools`);
    if (!isNonNegative(segment.durationMs)) {
      fail(`${at}: durationMs must be >= 0 and finite, got ${segment.durationMs}`);
    }
    if (!isNonNegative(segment.handoffMs))
      fail(`${at}: handoffMs must be >= 0 and finite, got ${segment.handoffMs}`);
    if (segment.spreadLogSd !== undefined && !isNonNegative(segment.spreadLogSd))
      fail(`${at}: spreadLogSd must be >= 0 and finite, got ${segment.spreadLogSd}`);
    const poolSlots = pools.get(segment.pool) ?? 0;
    if (segment.slots !== undefined && !(isPositiveInteger(segment.slots) && segment.slots <= poolSlots)) {
      // More than the pool has would wait for ever, and hold up everything queued behind it.
      fail(
        `${at}: slots must be an integer from 1 to pool '${segment.pool}''s ${poolSlots}, got ${segment.slots}`,
      );
    }
    const deps = new Set<number>();
    for (const dep of segment.deps) {
      if (!(Number.isInteger(dep) && dep >= 0 && dep < index)) {
        fail(
          `${at}: dep ${dep} must be an earlier segment (0..${index - 1}); segments are in topological order`,
        );
      }
      if (deps.has(dep)) fail(`${at}: dep ${dep} is listed twice`);
      deps.add(dep);
    }
  });
}

function isPositiveInteger(value: number): boolean {
  return Number.isSafeInteger(value) && value > 0;
}

function isNonNegative(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

function fail(message: string): never {
  throw new HetschedError(Code.InvalidArgument, `simulate: ${message}`);
}
