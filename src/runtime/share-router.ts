import { Code, HetschedError } from '../common/index.js';

/**
 * A credit this close to 1 counts as 1: a share written in decimal is not one in binary, and ten
 * 0.1s add up to 0.9999999999999999, which would send request 11 to the alternate instead of 10.
 */
const ROUNDING = 1e-9;

/**
 * Splits one model's requests between two routes by a fixed share, evenly and deterministically:
 * each request adds the share to a credit, and a request that brings the credit to 1 takes the
 * alternate route and spends 1. With share 1/16, requests 16, 32, 48, ... take it. Not random: a
 * random split would bunch alternate requests together now and then, and the alternate's pool is
 * planned for the share's rate (the search's simulator feeds it exactly that fraction, as a second
 * queue with the model's SLO); even spacing also makes runs and tests repeatable.
 */
export class ShareRouter {
  /** Share of the requests not yet sent to the alternate; in [-ROUNDING, 1 - ROUNDING) between requests. */
  private credit = 0;

  /** @throws HetschedError INVALID_ARGUMENT unless 0 < share < 1. */
  constructor(readonly share: number) {
    if (!(share > 0 && share < 1))
      throw new HetschedError(Code.InvalidArgument, `a share must be above 0 and below 1, got ${share}`);
  }

  /** Whether the next request takes the alternate route (each call is one request). */
  next(): boolean {
    this.credit += this.share;
    if (this.credit < 1 - ROUNDING) return false;
    this.credit -= 1;
    return true;
  }
}
