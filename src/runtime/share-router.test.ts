import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/thrown.js';
import { Code } from '../common/index.js';
import { ShareRouter } from './share-router.js';

/** The 1-based indices of the first `requests` requests that the router sends to the alternate. */
function alternates(share: number, requests: number): number[] {
  const router = new ShareRouter(share);
  const chosen: number[] = [];
  for (let request = 1; request <= requests; request++) if (router.next()) chosen.push(request);
  return chosen;
}

describe('ShareRouter', () => {
  it('sends every 1/share-th request to the alternate, starting with that one', () => {
    expect(alternates(1 / 4, 12)).toEqual([4, 8, 12]);
    expect(alternates(1 / 16, 64)).toEqual([16, 32, 48, 64]);
    expect(alternates(0.5, 8)).toEqual([2, 4, 6, 8]);
    expect(alternates(3 / 4, 8)).toEqual([2, 3, 4, 6, 7, 8]);
    // Decimal shares land where their decimal says, not one request late from binary rounding.
    expect(alternates(0.1, 30)).toEqual([10, 20, 30]);
    expect(alternates(0.3, 10)).toEqual([4, 7, 10]);
  });

  it('keeps any share to within one request of its fraction, over any stretch', () => {
    for (const share of [0.3, Math.SQRT1_2 / 3, 1 / 3, 0.999]) {
      const router = new ShareRouter(share);
      let taken = 0;
      for (let request = 1; request <= 10_000; request++) {
        if (router.next()) taken++;
        // Evenly spread: never more than one request ahead of or behind the share.
        expect(Math.abs(taken - share * request)).toBeLessThan(1);
      }
      expect(taken / 10_000).toBeCloseTo(share, 3);
    }
  });

  it('refuses a share that is not strictly between 0 and 1', () => {
    for (const share of [0, 1, -0.1, 2, Number.NaN]) {
      const error = thrown(() => new ShareRouter(share));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.message).toBe(`a share must be above 0 and below 1, got ${share}`);
    }
  });
});
