import type { GraphIR } from '../graph/index.js';
import { alternateLabel } from './explain.js';
import type { Plan } from './plan.js';
import { planToDot } from './plan-dot.js';
import { renderSvg } from './render-svg.js';

/** A placement's partitioned graph: DOT and SVG, each '' where it was not asked for. */
export interface PlanDrawing {
  readonly dot: string;
  readonly svg: string;
}

const NOT_DRAWN: PlanDrawing = { dot: '', svg: '' };

/**
 * Draws a plan's routes, each on its own: its own placement, titled `<name>: plan <spec>`, and its
 * alternate's (NOT_DRAWN without one), titled with the share of requests it runs. Nothing is laid
 * out unless DOT or SVG is asked for.
 */
export async function drawRoutes(
  graph: GraphIR,
  plan: Plan,
  name: string,
  asked: { readonly dot: boolean; readonly svg: boolean },
): Promise<{ readonly main: PlanDrawing; readonly alternate: PlanDrawing }> {
  const draw = async (route: Plan, title: string): Promise<PlanDrawing> => {
    if (!asked.dot && !asked.svg) return NOT_DRAWN;
    const dot = planToDot(graph, route, { title });
    return { dot: asked.dot ? dot : '', svg: asked.svg ? await renderSvg(dot) : '' };
  };
  const { alternate } = plan;
  return {
    main: await draw(plan, `${name}: plan ${plan.spec}`),
    alternate: alternate
      ? await draw(alternate.plan, `${name}: ${alternateLabel(alternate.share)}: plan ${alternate.plan.spec}`)
      : NOT_DRAWN,
  };
}
