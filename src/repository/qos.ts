import { Code, HetschedError } from '../common/index.js';

/** What a tenant asks for one model. */
export interface Qos {
  /** Latency target per request inside the server, ms. */
  readonly latencySloMs: number;
  /** Relative importance against other tenants. */
  readonly weight: number;
  /** Expected arrival rate, requests per second; 0 when unknown. */
  readonly requestRatePerS: number;
}

export const DEFAULT_QOS: Qos = { latencySloMs: 100, weight: 1, requestRatePerS: 0 };

/** Fills proto3's zero values ("unset") with defaults and rejects what cannot be meant. */
export function resolveQos(given: Partial<Qos> | undefined): Qos {
  const pick = (key: keyof Qos, positive: boolean): number => {
    const value = given?.[key] ?? 0;
    if (!Number.isFinite(value) || value < 0) {
      throw new HetschedError(
        Code.InvalidArgument,
        `qos.${snake(key)} must be a finite number >= 0, got ${value}`,
      );
    }
    if (value === 0 && positive) return DEFAULT_QOS[key];
    return value;
  };
  return {
    latencySloMs: pick('latencySloMs', true),
    weight: pick('weight', true),
    requestRatePerS: pick('requestRatePerS', false),
  };
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
