import { Code, HetschedError } from '../common/index.js';
import type { PlanServiceHandlers } from '../gen/hetsched/v1/PlanService.js';
import type { PlanSummary } from '../gen/hetsched/v1/PlanSummary.js';
import type { SegmentSummary } from '../gen/hetsched/v1/SegmentSummary.js';
import { drawRoutes, explainPlan, type PlanExplanation } from '../partition/index.js';
import type { ProfileStore } from '../profile/index.js';
import type { PlacementRequest } from '../runtime/index.js';
import { policyFromJson } from '../search/index.js';
import type { ServingCatalog } from './catalog.js';
import { unary } from './unary.js';

/** hetsched.v1.PlanService: apply, read and explain where a model's operators run. */
export function planService(
  catalog: ServingCatalog,
  store: ProfileStore,
  log: (error: unknown) => void,
): PlanServiceHandlers {
  return {
    Plan: unary(async (request) => {
      const objective = request.objective === '' ? 'throughput' : request.objective;
      if (objective !== 'throughput' && objective !== 'latency') {
        throw new HetschedError(
          Code.InvalidArgument,
          `objective must be "throughput" or "latency", got "${request.objective}"`,
        );
      }
      if (request.apply && request.gpuProfile !== '') {
        throw new HetschedError(
          Code.InvalidArgument,
          `plans for ${request.gpuProfile}'s GPU are for that machine: apply them there (ApplyPlan with plan_json), not here`,
        );
      }
      const { report, tenants } = await catalog.searchPlans(
        request.models.map((ref) => ({ name: ref.model, version: ref.version })),
        {
          store,
          objective,
          seed: request.seed,
          ...(request.gpuProfile !== '' && { gpuProfile: request.gpuProfile }),
          allowSoftwareGpu: request.allowSoftwareGpu,
          threadBudgets: !request.noThreadBudgets,
          measureMissing: request.measure,
          ...(request.rlEpisodes > 0 && { rlEpisodes: request.rlEpisodes }),
          ...(request.refineEvaluations > 0 && { refineEvaluations: request.refineEvaluations }),
          ...(request.warmStartJson !== '' && {
            warmStart: policyFromJson(request.warmStartJson, 'warm_start_json'),
          }),
        },
        request.apply,
      );
      return {
        plans: tenants.map((record) => ({
          model: record.name,
          version: record.version,
          planJson: JSON.stringify(report.plans[`${record.name}@${record.version}`]),
        })),
        reportJson: JSON.stringify(report),
        chosen: report.chosen,
        score: report.score,
        applied: request.apply,
      };
    }, log),
    ApplyPlan: unary(async (request) => {
      const plan = await catalog.applyPlan(request.model, request.version, placementOf(request));
      const { graph } = await catalog.explain(request.model, request.version, { plan });
      return { planJson: JSON.stringify(plan), summary: toSummary(explainPlan(graph, plan)) };
    }, log),
    GetPlan: unary(async (request) => {
      const { plan, applied } = await catalog.activePlan(request.model, request.version);
      const { graph } = await catalog.explain(request.model, request.version, { plan });
      return { planJson: JSON.stringify(plan), summary: toSummary(explainPlan(graph, plan)), applied };
    }, log),
    Explain: unary(async (request) => {
      const { plan, graph } = await catalog.explain(request.model, request.version, placementOf(request));
      const explanation = explainPlan(graph, plan);
      const { main, alternate } = await drawRoutes(graph, plan, request.model, {
        dot: request.includeDot,
        svg: request.includeSvg,
      });
      return {
        planJson: JSON.stringify(plan),
        summary: toSummary(explanation),
        segments: explanation.segments.map(toSegmentSummary),
        dot: main.dot,
        svg: main.svg,
        alternateSegments: explanation.alternate?.explanation.segments.map(toSegmentSummary) ?? [],
        alternateDot: alternate.dot,
        alternateSvg: alternate.svg,
      };
    }, log),
  };
}

function placementOf(request: {
  placement?: 'spec' | 'planJson';
  spec?: string;
  planJson?: string;
}): PlacementRequest {
  if (request.placement === 'planJson') {
    try {
      return { plan: JSON.parse(request.planJson ?? '') };
    } catch (error) {
      throw new HetschedError(Code.InvalidArgument, `plan_json is not JSON: ${(error as Error).message}`);
    }
  }
  return { spec: request.spec ?? 'all-cpu' };
}

function toSummary(explanation: PlanExplanation): PlanSummary {
  return {
    spec: explanation.spec,
    segmentCount: explanation.segments.length,
    boundaryCount: explanation.boundaryCount,
    boundaryBytes: String(explanation.boundaryBytes ?? 0),
    pinned: explanation.pinned.map((pin) => ({
      operator: pin.op,
      wanted: pin.wanted,
      processor: pin.processor,
      reason: pin.reason,
      detail: pin.detail,
    })),
    shapesExact: explanation.shapesExact,
    ...(explanation.alternate && {
      alternateShare: explanation.alternate.share,
      alternateSpec: explanation.alternate.explanation.spec,
      alternateSegmentCount: explanation.alternate.explanation.segments.length,
    }),
  };
}

function toSegmentSummary(segment: PlanExplanation['segments'][number]): SegmentSummary {
  return {
    id: segment.id,
    processor: segment.processor,
    operatorCount: segment.operatorCount,
    flops: segment.flops ?? 0,
    bytesIn: String(segment.bytesIn ?? 0),
    bytesOut: String(segment.bytesOut ?? 0),
    operatorTypes: segment.operatorTypes.map((entry) => `${entry.opType} x${entry.count}`),
    threads: segment.threads ?? 0,
  };
}
