import type { CostPool } from '../cost/index.js';
import { formatNumber, linearExpression } from '../solver/index.js';

/**
 * The LP of the throughput bound as it is built (lp-bound.ts): columns, rows, and the per-second
 * ms each column charges a pool or the dispatcher's slots. Columns are shares of the λ requests
 * (λ itself is the column `lam` as terms are built), so every share is between 0 and λ.
 *
 * As written for HiGHS, λ is fixed at 1 and the pools' capacities are scaled instead, by the
 * column INVERSE_LAMBDA (1/λ), which the LP minimises. Every row but the capacities is homogeneous
 * in λ and the shares (a share of λ requests scales with λ), so the two LPs have the same optima:
 * λ = 1 / INVERSE_LAMBDA, each share divided by λ. Written with λ as a column, λ is in most rows,
 * a dense column in every basis: `npm run bench -- highs` solved the search bench's 5 x 300 bound
 * (primal simplex, baseline-compiled, cold; medians of 3) in 0.80 s written that way and in 0.51 s
 * written this way, and the 5 x 2,000 bound (its fastest way each time) in 7.16 s against 4.49 s.
 */

export const LAMBDA = 'lam';
/** The column of 1/λ in the LP as written: the pools' capacities are its multiples. */
export const INVERSE_LAMBDA = 'inv_lam';

/** One coefficient and its column. */
export type Term = readonly [number, string];
/** A linear expression: coefficient and column pairs. */
export type Terms = readonly Term[];
export const NONE: Terms = [];
/** All λ requests: the largest a share can be. */
export const ALL: Terms = [[1, LAMBDA]];

/** The LP under construction: columns, rows, and what each pool is charged per column. */
export class BoundLp {
  columns = 1;
  readonly rows: string[] = [];
  /** Columns that are shares of the λ requests, each at most 1 once λ is fixed at 1. */
  readonly shares: string[] = [];
  /** Per pool, its busy ms per second; per 'slots', the dispatcher's slot-ms per second. */
  readonly charges = new Map<CostPool | 'slots', Map<string, number>>([
    ['cpu', new Map()],
    ['gpu:0', new Map()],
    ['slots', new Map()],
  ]);

  private readonly maxima = new Map<string, Terms>();

  column(name: string): string {
    this.columns++;
    return name;
  }

  /** Adds `msPerUnit · terms` to a pool's busy ms per second (or to the slots' held ms). */
  charge(pool: CostPool | 'slots', msPerUnit: number, terms: Terms): void {
    if (msPerUnit === 0) return;
    const charges = this.charges.get(pool) as Map<string, number>;
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i] as Term;
      charges.set(term[1], (charges.get(term[1]) ?? 0) + msPerUnit * term[0]);
    }
  }

  /** A column that is a share of the λ requests: between 0 and λ. */
  share(name: string): string {
    this.shares.push(name);
    return this.column(name);
  }

  /** Row `name: Σ terms >= 0` (or `= 0`), written with λ at 1. */
  row(name: string, terms: Terms, sense: '>=' | '=' = '>='): void {
    this.rows.push(rowAtLambdaOne(name, terms, sense));
  }

  /**
   * A pool's capacity row, `Σ charges <= 1000 · slots` per unit of λ, written with λ at 1 and the
   * capacity scaled by 1/λ; none for unbounded slots (nothing to write: it bounds nothing).
   */
  capacityRow(name: string, pool: CostPool | 'slots', slots: number): string[] {
    if (slots === Number.POSITIVE_INFINITY) return [];
    const terms: Term[] = [];
    for (const [column, ms] of this.charges.get(pool) as Map<string, number>) terms.push([ms, column]);
    terms.push([-1000 * slots, INVERSE_LAMBDA]);
    return [rowAtLambdaOne(name, terms, '<=')];
  }

  /**
   * A column no smaller than 0 and each of `lower`, or a plain expression where that needs no
   * column. Empty when every bound is identically zero or negative. `withinLambda`: every bound
   * is at most λ (a share, or a share minus another), so one that is λ itself is the maximum.
   */
  atLeastEach(name: string, lower: readonly Terms[], withinLambda = true): Terms {
    // A difference with no positive term is never above 0: it bounds nothing.
    const live: Terms[] = [];
    for (let k = 0; k < lower.length; k++) {
      const terms = lower[k] as Terms;
      if (positiveTerms(terms) === 0) continue;
      if (withinLambda && isAll(terms)) return ALL;
      live.push(terms);
    }
    if (live.length === 0) return NONE;
    const only = live[0] as Terms;
    if (live.length === 1 && positiveTerms(only) === only.length) return only;
    // The same bounds give the same column (a path's entry and the crossing on that edge, say).
    let key = '';
    for (let k = 0; k < live.length; k++) key += `${k > 0 ? '|' : ''}${termsKey(live[k] as Terms)}`;
    const known = this.maxima.get(key);
    if (known) return known;
    const column = this.column(name);
    for (let k = 0; k < live.length; k++) {
      const bound = live[k] as Terms;
      const row: Term[] = [[1, column]];
      for (let i = 0; i < bound.length; i++) {
        const term = bound[i] as Term;
        row.push([-term[0], term[1]]);
      }
      this.row(`${name}_${k}`, row);
    }
    const terms: Terms = [[1, column]];
    this.maxima.set(key, terms);
    return terms;
  }

  /**
   * A column no larger than each of `upper` (shares, each at most λ and at least 0): their
   * minimum, where the LP gains by raising it. A bound that is identically zero gives NONE, and
   * bounds that are all one expression give that expression.
   */
  atMostEach(name: string, upper: readonly Terms[]): Terms {
    if (upper.some((terms) => terms.length === 0)) return NONE;
    const distinct = [...new Map(upper.map((terms) => [termsKey(terms), terms])).values()];
    if (distinct.length === 1) return distinct[0] as Terms;
    const column = this.column(name);
    distinct.forEach((terms, k) => {
      this.row(`${name}_${k}`, [...terms, [-1, column]]);
    });
    return [[1, column]];
  }
}

/** `a − b` as terms, like columns combined (λ − g minus λ − h is h − g); empty when identically zero. */
export function difference(a: Terms, b: Terms): Terms {
  return combined([a, 1], [b, -1]);
}

/** Σ factor · terms, like columns combined; empty when identically zero. */
export function combined(...parts: readonly (readonly [Terms, number])[]): Terms {
  // Indexed loops, no destructuring, no Map: the LP is written once per search, in code not yet
  // optimised, where the iteration protocol costs most; and the parts hold a few terms each.
  const names: string[] = [];
  const sums: number[] = [];
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p] as readonly [Terms, number];
    const terms = part[0];
    const factor = part[1];
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i] as Term;
      const at = names.indexOf(term[1]);
      if (at < 0) {
        names.push(term[1]);
        sums.push(factor * term[0]);
      } else sums[at] = (sums[at] as number) + factor * term[0];
    }
  }
  const result: Term[] = [];
  for (let i = 0; i < names.length; i++)
    if (sums[i] !== 0) result.push([sums[i] as number, names[i] as string]);
  return result;
}

/** Row `name: Σ terms <sense> 0` in LP text with λ at 1: λ's term moves to the right-hand side. */
function rowAtLambdaOne(name: string, terms: Terms, sense: '>=' | '=' | '<='): string {
  let lambda = 0;
  const rest: Term[] = [];
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i] as Term;
    if (term[1] === LAMBDA) lambda += term[0];
    else rest.push(term);
  }
  return ` ${name}: ${linearExpression(rest) || `0 ${INVERSE_LAMBDA}`} ${sense} ${formatNumber(-lambda)}`;
}

/** How many of the terms have a positive coefficient. */
function positiveTerms(terms: Terms): number {
  let count = 0;
  for (let i = 0; i < terms.length; i++) if ((terms[i] as Term)[0] > 0) count++;
  return count;
}

/** Whether the terms are λ itself. */
function isAll(terms: Terms): boolean {
  const only = terms[0];
  return terms.length === 1 && only?.[1] === LAMBDA && only[0] === 1;
}

/** The terms as a map key: `c*v` joined by '+'. */
function termsKey(terms: Terms): string {
  let key = '';
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i] as Term;
    key += `${i > 0 ? '+' : ''}${term[0]}*${term[1]}`;
  }
  return key;
}
