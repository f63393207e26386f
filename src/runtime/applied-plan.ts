import { CPU, type Plan, poolOf } from '../partition/index.js';
import type { Executable } from './executable.js';
import { ShareRouter } from './share-router.js';

/**
 * A model's applied plan and what runs it: the main placement's executable and, for a plan with
 * an alternate, the alternate's with the router that hands it its share of the requests.
 */
export interface AppliedPlan {
  /** The plan as applied, alternate included (what the server stores and GetPlan returns). */
  readonly plan: Plan;
  /** Runs the main placement: the model's whole-model executable when that is one CPU segment. */
  readonly main: Executable;
  readonly alternate?: {
    /** Runs the alternate's placement (the whole-model executable too, where it is one CPU segment). */
    readonly executable: Executable;
    readonly router: ShareRouter;
  };
}

/**
 * Builds what runs an applied plan, each route through `executableOf` (the model's whole-model
 * executable for a route of one CPU segment: see isWholeOnCpu); undefined for a plan that runs
 * the model whole on the CPU with no alternate, which is as if no plan were applied. A fresh
 * router each time: a plan applied again starts its split from the first request.
 */
export async function buildApplied(
  plan: Plan,
  executableOf: (route: Plan) => Promise<Executable>,
): Promise<AppliedPlan | undefined> {
  const { alternate } = plan;
  if (!alternate && isWholeOnCpu(plan)) return undefined;
  const [main, other] = await Promise.all([
    executableOf(mainRoute(plan)),
    alternate && executableOf(alternate.plan),
  ]);
  return {
    plan,
    main,
    ...(alternate && other && { alternate: { executable: other, router: new ShareRouter(alternate.share) } }),
  };
}

/** What one request runs, and whether that is its plan's alternate route. */
export interface Route {
  readonly executable: Executable;
  readonly alternate: boolean;
}

/**
 * The route the model's next request takes: the applied plan's main or, on the router's turn,
 * its alternate; the whole model where no plan is applied. Called once per request, when the
 * dispatcher starts it (see Engine.infer).
 */
export function routeRequest(applied: AppliedPlan | undefined, whole: Executable): Route {
  if (!applied) return { executable: whole, alternate: false };
  const { alternate } = applied;
  return alternate?.router.next()
    ? { executable: alternate.executable, alternate: true }
    : { executable: applied.main, alternate: false };
}

/** The routes of an applied plan that run partitioned (the planner's executables, to hold). */
export function partitionedRoutes(applied: AppliedPlan | undefined): Plan[] {
  if (!applied) return [];
  const { plan } = applied;
  const routes = plan.alternate ? [mainRoute(plan), plan.alternate.plan] : [mainRoute(plan)];
  return routes.filter((route) => !isWholeOnCpu(route));
}

/** A plan's main placement alone: what one request given the plan as its own placement runs. */
export function mainRoute(plan: Plan): Plan {
  const { alternate: _alternate, ...main } = plan;
  return main;
}

/** The whole model in one CPU session at the server's threads: what ServedModel.whole already runs. */
export function isWholeOnCpu(plan: Plan): boolean {
  const only = plan.segments[0];
  return (
    plan.segments.length === 1 &&
    only !== undefined &&
    poolOf(only.processor) === CPU &&
    only.threads === undefined
  );
}
