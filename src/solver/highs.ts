import { Code, HetschedError } from '../common/index.js';
import { withBaselineWasm } from './baseline-wasm.js';

/**
 * The one door to HiGHS (a MILP/LP solver compiled to wasm): loads it once and solves CPLEX LP
 * text, so that the MILP and the LP bound see a small typed result and never the package's own
 * types. Solving is synchronous and blocks the thread: callers keep instances small, or solve in
 * HiGHS's worker (off-thread.ts).
 */

/** What came out of one solve. */
export interface LpSolution {
  /** HiGHS's model status ('Optimal', 'Infeasible', 'Unbounded', 'Time limit reached', ...). */
  readonly status: string;
  /** Objective value; meaningful only when `status` says a solution exists. */
  readonly objective: number;
  /** Column name -> primal value; empty when the solver established no solution. */
  readonly primal: ReadonlyMap<string, number>;
}

export interface LpSolveOptions {
  /** Wall-clock limit in seconds. */
  readonly timeLimitS: number;
  /** Relative MIP gap at which HiGHS stops; 0 proves optimality (HiGHS's default 1e-4 does not). */
  readonly mipRelGap: number;
  /**
   * HiGHS's algorithm for an LP: 'choose' (its default), 'simplex' (its simplex at its default
   * strategy, the dual simplex), 'primal-simplex', or 'ipm' (interior point).
   */
  readonly solver: 'choose' | 'simplex' | 'primal-simplex' | 'ipm';
  /**
   * How HiGHS is compiled where this thread has not loaded it yet (it loads once per thread: the
   * first solve's choice holds). Default 'tiered'.
   */
  readonly compile: HighsCompile;
}

const DEFAULTS: LpSolveOptions = { timeLimitS: 10, mipRelGap: 0, solver: 'choose', compile: 'tiered' };

/**
 * The part of the package this file uses, declared here: its bundled types are CommonJS-flavoured
 * (`export default` in a CommonJS package), which under NodeNext type a default import as the
 * module object rather than the loader.
 */
interface Solver {
  solve(
    lpText: string,
    options: Readonly<Record<string, number | boolean | string>>,
  ): {
    readonly Status: string;
    readonly ObjectiveValue: number;
    readonly Columns?: Readonly<Record<string, { readonly Primal?: unknown }>>;
  };
}
type Loader = () => Promise<Solver>;
let solver: Promise<Solver> | undefined;

/** The loader, wherever the module system put it (ESM: `default`; CommonJS interop: `default.default`). */
async function loadSolver(): Promise<Solver> {
  const module: { default?: unknown } = await import('highs');
  const outer = module.default;
  const inner =
    typeof outer === 'object' && outer !== null ? (outer as { default?: unknown }).default : undefined;
  const loader = typeof outer === 'function' ? outer : inner;
  if (typeof loader !== 'function')
    throw new HetschedError(Code.Internal, "the 'highs' package exports no loader");
  return (loader as Loader)();
}

/**
 * How HiGHS's wasm is compiled: 'tiered', V8's default (hot functions recompiled optimised on
 * background threads), for a thread that solves many models or long ones; 'baseline', never
 * optimised (withBaselineWasm), for a thread that solves one small LP and ends.
 */
export type HighsCompile = 'tiered' | 'baseline';

function loaded(compile: HighsCompile): Promise<Solver> {
  solver ??= compile === 'baseline' ? withBaselineWasm(loadSolver) : loadSolver();
  return solver;
}

/** Solves a model in CPLEX LP format (minimise or maximise; Generals/Binaries make it a MIP). */
export async function solveLpText(
  lpText: string,
  options: Partial<LpSolveOptions> = {},
): Promise<LpSolution> {
  const resolved = { ...DEFAULTS, ...options };
  const highs = await loaded(resolved.compile);
  let result: ReturnType<Solver['solve']>;
  try {
    result = highs.solve(lpText, {
      output_flag: false,
      time_limit: resolved.timeLimitS,
      mip_rel_gap: resolved.mipRelGap,
      mip_abs_gap: 0,
      ...algorithmOptions(resolved.solver),
    });
  } catch (error: unknown) {
    throw HetschedError.from(error, Code.Internal, 'HiGHS could not solve the model');
  }
  const primal = new Map<string, number>();
  for (const [name, column] of Object.entries(result.Columns ?? {})) {
    if (typeof column.Primal === 'number') primal.set(name, column.Primal);
  }
  return { status: result.Status, objective: result.ObjectiveValue, primal };
}

/** HiGHS's options for an algorithm: its primal simplex is its simplex with strategy 4. */
function algorithmOptions(algorithm: LpSolveOptions['solver']): Record<string, string | number> {
  return algorithm === 'primal-simplex' ? { solver: 'simplex', simplex_strategy: 4 } : { solver: algorithm };
}

/** Writes a linear expression `c1 v1 + c2 v2 ...` in LP syntax, a few terms per line (the LP format caps line length). */
export function linearExpression(
  terms: readonly (readonly [coefficient: number, variable: string])[],
): string {
  // One string built term by term, indexed, no destructuring: the LP bound writes thousands of
  // rows through here once per search, before V8 has optimised any of it.
  let text = '';
  let written = 0;
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i] as readonly [number, string];
    const coefficient = term[0];
    if (coefficient === 0) continue;
    if (!Number.isFinite(coefficient))
      throw new HetschedError(
        Code.InvalidArgument,
        `coefficient of ${term[1]} is not finite: ${coefficient}`,
      );
    // Eight terms to a line.
    if (written > 0) text += written % 8 === 0 ? '\n   ' : ' ';
    text += `${coefficient < 0 ? '-' : '+'} ${formatNumber(Math.abs(coefficient))} ${term[1]}`;
    written++;
  }
  return text;
}

/** A number in LP syntax: full precision, no 'e' forms that a reader could take for a variable name. */
export function formatNumber(value: number): string {
  // String() is the shortest form that reads back to the same double; where it would use an
  // exponent, toExponential keeps 17 significant digits (HiGHS reads 1.5e-07 as a number).
  const shortest = String(value);
  return shortest.includes('e') ? value.toExponential(16) : shortest;
}
