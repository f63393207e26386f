import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { simulate } from './sim.js';
import type { SimConfig, SimSegment, SimTenant } from './sim-types.js';

const segment: SimSegment = { id: 0, pool: 'cpu', durationMs: 1, deps: [], handoffMs: 0 };
const tenant: SimTenant = {
  name: 'a',
  sloMs: 10,
  weight: 1,
  arrival: { kind: 'poisson', ratePerS: 10 },
  segments: [segment, { ...segment, id: 1, deps: [0] }],
};
const config: SimConfig = {
  pools: [{ id: 'cpu', slots: 1 }],
  requestSlots: 1,
  maxQueueLength: 4,
  horizonMs: 100,
  warmupMs: 0,
  seed: 1,
};

function rejects(tenants: SimTenant[], cfg: SimConfig, message: RegExp): void {
  let caught: unknown;
  try {
    simulate(tenants, cfg);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HetschedError);
  expect((caught as HetschedError).code).toBe(Code.InvalidArgument);
  expect((caught as HetschedError).message).toMatch(message);
}

const withSegment = (patch: Partial<SimSegment>, index = 1): SimTenant => ({
  ...tenant,
  segments: tenant.segments.map((entry, i) => (i === index ? { ...entry, ...patch } : entry)),
});

describe('simulate: input validation', () => {
  it('accepts a valid input', () => {
    expect(() => simulate([tenant], config)).not.toThrow();
  });

  it.each<[string, SimConfig, RegExp]>([
    ['no pools', { ...config, pools: [] }, /config.pools is empty/],
    ['a bad pool id', { ...config, pools: [{ id: 'tpu' as 'cpu', slots: 1 }] }, /pool id 'tpu' is neither/],
    [
      'a pool twice',
      {
        ...config,
        pools: [
          { id: 'cpu', slots: 1 },
          { id: 'cpu', slots: 2 },
        ],
      },
      /pool 'cpu' appears twice/,
    ],
    [
      'zero slots',
      { ...config, pools: [{ id: 'cpu', slots: 0 }] },
      /pool 'cpu' slots must be a positive integer, got 0/,
    ],
    [
      'fractional slots',
      { ...config, pools: [{ id: 'cpu', slots: 1.5 }] },
      /slots must be a positive integer/,
    ],
    ['zero request slots', { ...config, requestSlots: 0 }, /config.requestSlots must be a positive integer/],
    [
      'a zero queue bound',
      { ...config, maxQueueLength: 0 },
      /config.maxQueueLength must be a positive integer or Infinity/,
    ],
    ['no horizon', { ...config, horizonMs: 0 }, /config.horizonMs must be positive and finite/],
    ['a negative warm-up', { ...config, warmupMs: -1 }, /config.warmupMs must be >= 0/],
    ['an unsafe seed', { ...config, seed: 0.5 }, /config.seed must be a safe integer/],
    [
      'an empty interference table',
      { ...config, cpuInterference: { default: [] } },
      /cpuInterference 'default' is empty/,
    ],
    [
      'a zero interference factor',
      { ...config, cpuInterference: { x: [1, 0] } },
      /cpuInterference 'x' has factor 0/,
    ],
    ['too many request slots', { ...config, requestSlots: 2 ** 28 }, /too large to simulate/],
  ])('rejects %s', (_, cfg, message) => rejects([tenant], cfg, message));

  it.each<[string, SimTenant[], RegExp]>([
    ['an empty name', [{ ...tenant, name: '' }], /a tenant has an empty name/],
    ['a name twice', [tenant, tenant], /tenant 'a' appears twice/],
    ['a zero SLO', [{ ...tenant, sloMs: 0 }], /tenant 'a': sloMs must be positive and finite, got 0/],
    [
      'an infinite SLO',
      [{ ...tenant, sloMs: Number.POSITIVE_INFINITY }],
      /sloMs must be positive and finite/,
    ],
    ['a negative weight', [{ ...tenant, weight: -1 }], /weight must be >= 0/],
    ['a negative output cost', [{ ...tenant, outputMs: -1 }], /outputMs must be >= 0/],
    [
      'a negative rate',
      [{ ...tenant, arrival: { kind: 'poisson', ratePerS: -1 } }],
      /arrival.ratePerS must be >= 0/,
    ],
    [
      'fractional clients',
      [{ ...tenant, arrival: { kind: 'closed', clients: 1.5, thinkMs: 1 } }],
      /arrival.clients must be/,
    ],
    [
      'a negative think time',
      [{ ...tenant, arrival: { kind: 'closed', clients: 1, thinkMs: -1 } }],
      /thinkMs must be >= 0/,
    ],
    [
      'clients that could retry forever',
      [{ ...tenant, arrival: { kind: 'closed', clients: 5, thinkMs: 0 } }],
      /5 clients with thinkMs 0 can overflow a queue of 4/,
    ],
    [
      'an unknown arrival kind',
      [{ ...tenant, arrival: { kind: 'burst' } as unknown as SimTenant['arrival'] }],
      /arrival.kind/,
    ],
    ['a misnumbered segment', [withSegment({ id: 5 })], /segment 1: id is 5, must equal its index 1/],
    ['an unknown pool', [withSegment({ pool: 'gpu:0' })], /segment 1: pool 'gpu:0' is not in config.pools/],
    ['a negative duration', [withSegment({ durationMs: -1 })], /segment 1: durationMs must be >= 0/],
    [
      'a NaN duration',
      [withSegment({ durationMs: Number.NaN })],
      /durationMs must be >= 0 and finite, got NaN/,
    ],
    ['a negative hand-off', [withSegment({ handoffMs: -0.1 })], /segment 1: handoffMs must be >= 0/],
    ['a negative spread', [withSegment({ spreadLogSd: -0.1 })], /segment 1: spreadLogSd must be >= 0/],
    ['an infinite spread', [withSegment({ spreadLogSd: Infinity })], /spreadLogSd must be >= 0 and finite/],
    ['a dep on itself', [withSegment({ deps: [1] })], /segment 1: dep 1 must be an earlier segment \(0..0\)/],
    ['a dep on a later segment', [withSegment({ deps: [2] })], /dep 2 must be an earlier segment/],
    ['a negative dep', [withSegment({ deps: [-1] })], /dep -1 must be an earlier segment/],
    ['a dep twice', [withSegment({ deps: [0, 0] })], /segment 1: dep 0 is listed twice/],
  ])('rejects %s', (_, tenants, message) => rejects(tenants, config, message));
});
