import { describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import { DEFAULT_QOS, type Qos, resolveQos } from './qos.js';

function expectInvalid(given: Partial<Qos>, message: string): void {
  let caught: unknown;
  try {
    resolveQos(given);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HetschedError);
  expect((caught as HetschedError).code).toBe(Code.InvalidArgument);
  expect((caught as HetschedError).message).toBe(message);
}

describe('resolveQos', () => {
  it('fills unset (absent or zero) fields with the defaults', () => {
    expect(DEFAULT_QOS).toEqual({ latencySloMs: 100, weight: 1, requestRatePerS: 0 });
    expect(resolveQos(undefined)).toEqual(DEFAULT_QOS);
    expect(resolveQos({})).toEqual(DEFAULT_QOS);
    expect(resolveQos({ latencySloMs: 0, weight: 0, requestRatePerS: 0 })).toEqual(DEFAULT_QOS);
  });

  it('keeps given values', () => {
    expect(resolveQos({ latencySloMs: 25, weight: 0.5, requestRatePerS: 40 })).toEqual({
      latencySloMs: 25,
      weight: 0.5,
      requestRatePerS: 40,
    });
    expect(resolveQos({ weight: 3 })).toEqual({ latencySloMs: 100, weight: 3, requestRatePerS: 0 });
  });

  it('rejects negative and non-finite values, naming the proto field', () => {
    expectInvalid({ latencySloMs: -5 }, 'qos.latency_slo_ms must be a finite number >= 0, got -5');
    expectInvalid({ weight: Number.NaN }, 'qos.weight must be a finite number >= 0, got NaN');
    expectInvalid(
      { requestRatePerS: Number.POSITIVE_INFINITY },
      'qos.request_rate_per_s must be a finite number >= 0, got Infinity',
    );
  });
});
