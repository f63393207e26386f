import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * A seeded random source. Everything random in hetsched (search, synthetic models, random
 * placements) takes one of these, never Math.random, so the same seed gives the same result.
 */
export class Rng {
  readonly seed: number;
  private readonly generator: RandomGenerator;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    this.seed = seed;
    // xoroshiro128plus takes a 32-bit seed and starts poorly from small ones (seed 7 first draws
    // 0.9999999, seed 0 never leaves 0), so fold the high bits in, scramble, and skip a few draws.
    this.generator = xoroshiro128plus(mix32((seed ^ Math.floor(seed / 2 ** 32) ^ 0x9e3779b9) | 0));
    for (let i = 0; i < 4; i++) this.generator.next();
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return uniformInt(this.generator, min, max);
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.float(); // (0, 1]: log(0) would be -Infinity
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  bool(probability = 0.5): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** A new generator whose stream is independent of this one's future draws. */
  fork(): Rng {
    return new Rng(this.int(-0x80000000, 0x7fffffff));
  }
}

/** murmur3's 32-bit finaliser: spreads every input bit over the whole word. */
function mix32(value: number): number {
  let h = value ^ (value >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
