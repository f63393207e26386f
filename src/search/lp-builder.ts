import type { CostPool } from '../cost/index.js';
import { linearExpression } from '../solver/index.js';

/**
 * The LP of the throughput bound as it is built (lp-bound.ts): columns, rows, and the per-second
 * ms each column charges a pool or the dispatcher's slots. Columns are shares of the λ requests
 * (λ itself is the column `lam`), so every share is between 0 and λ.
 */

export const LAMBDA = 'lam';

/** A linear expression: coefficient and column pairs. */
export type Terms = readonly (readonly [number, string])[];
export const NONE: Terms = [];
/** All λ requests: the largest a share can be. */
export const ALL: Terms = [[1, LAMBDA]];

/** The LP under construction: columns, rows, and what each pool is charged per column. */
export class BoundLp {
  columns = 1;
  readonly rows: string[] = [];
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
    for (const [coefficient, name] of terms)
      charges.set(name, (charges.get(name) ?? 0) + msPerUnit * coefficient);
  }

  /** Row `name: Σ terms >= 0` (or `= 0`). */
  row(name: string, terms: Terms, sense: '>=' | '=' = '>='): void {
    this.rows.push(` ${name}: ${linearExpression(terms)} ${sense} 0`);
  }

  /**
   * A column no smaller than 0 and each of `lower`, or a plain expression where that needs no
   * column. Empty when every bound is identically zero or negative. `withinLambda`: every bound
   * is at most λ (a share, or a share minus another), so one that is λ itself is the maximum.
   */
  atLeastEach(name: string, lower: readonly Terms[], withinLambda = true): Terms {
    // A difference with no positive term is never above 0: it bounds nothing.
    const live = lower.filter((terms) => terms.some(([coefficient]) => coefficient > 0));
    if (live.length === 0) return NONE;
    if (
      withinLambda &&
      live.some((terms) => terms.length === 1 && terms[0]?.[1] === LAMBDA && terms[0][0] === 1)
    )
      return ALL;
    const only = live[0] as Terms;
    if (live.length === 1 && only.every(([coefficient]) => coefficient > 0)) return only;
    // The same bounds give the same column (a path's entry and the crossing on that edge, say).
    const key = live.map((terms) => terms.map(([c, v]) => `${c}*${v}`).join('+')).join('|');
    const known = this.maxima.get(key);
    if (known) return known;
    const column = this.column(name);
    live.forEach((terms, k) => {
      this.row(`${name}_${k}`, [[1, column], ...terms.map(([c, v]) => [-c, v] as const)]);
    });
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
    const key = (terms: Terms): string => terms.map(([c, v]) => `${c}*${v}`).join('+');
    const distinct = [...new Map(upper.map((terms) => [key(terms), terms])).values()];
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
  const sum = new Map<string, number>();
  for (const [terms, factor] of parts) for (const [c, v] of terms) sum.set(v, (sum.get(v) ?? 0) + factor * c);
  return [...sum].filter(([, c]) => c !== 0).map(([v, c]) => [c, v] as const);
}
