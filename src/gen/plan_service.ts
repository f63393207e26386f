import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ApplyPlanRequest as _hetsched_v1_ApplyPlanRequest, ApplyPlanRequest__Output as _hetsched_v1_ApplyPlanRequest__Output } from './hetsched/v1/ApplyPlanRequest.js';
import type { ApplyPlanResponse as _hetsched_v1_ApplyPlanResponse, ApplyPlanResponse__Output as _hetsched_v1_ApplyPlanResponse__Output } from './hetsched/v1/ApplyPlanResponse.js';
import type { ExplainRequest as _hetsched_v1_ExplainRequest, ExplainRequest__Output as _hetsched_v1_ExplainRequest__Output } from './hetsched/v1/ExplainRequest.js';
import type { ExplainResponse as _hetsched_v1_ExplainResponse, ExplainResponse__Output as _hetsched_v1_ExplainResponse__Output } from './hetsched/v1/ExplainResponse.js';
import type { GetPlanRequest as _hetsched_v1_GetPlanRequest, GetPlanRequest__Output as _hetsched_v1_GetPlanRequest__Output } from './hetsched/v1/GetPlanRequest.js';
import type { GetPlanResponse as _hetsched_v1_GetPlanResponse, GetPlanResponse__Output as _hetsched_v1_GetPlanResponse__Output } from './hetsched/v1/GetPlanResponse.js';
import type { ModelPlan as _hetsched_v1_ModelPlan, ModelPlan__Output as _hetsched_v1_ModelPlan__Output } from './hetsched/v1/ModelPlan.js';
import type { ModelRef as _hetsched_v1_ModelRef, ModelRef__Output as _hetsched_v1_ModelRef__Output } from './hetsched/v1/ModelRef.js';
import type { PinnedOperator as _hetsched_v1_PinnedOperator, PinnedOperator__Output as _hetsched_v1_PinnedOperator__Output } from './hetsched/v1/PinnedOperator.js';
import type { PlanRequest as _hetsched_v1_PlanRequest, PlanRequest__Output as _hetsched_v1_PlanRequest__Output } from './hetsched/v1/PlanRequest.js';
import type { PlanResponse as _hetsched_v1_PlanResponse, PlanResponse__Output as _hetsched_v1_PlanResponse__Output } from './hetsched/v1/PlanResponse.js';
import type { PlanServiceClient as _hetsched_v1_PlanServiceClient, PlanServiceDefinition as _hetsched_v1_PlanServiceDefinition } from './hetsched/v1/PlanService.js';
import type { PlanSummary as _hetsched_v1_PlanSummary, PlanSummary__Output as _hetsched_v1_PlanSummary__Output } from './hetsched/v1/PlanSummary.js';
import type { SegmentSummary as _hetsched_v1_SegmentSummary, SegmentSummary__Output as _hetsched_v1_SegmentSummary__Output } from './hetsched/v1/SegmentSummary.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  hetsched: {
    v1: {
      ApplyPlanRequest: MessageTypeDefinition<_hetsched_v1_ApplyPlanRequest, _hetsched_v1_ApplyPlanRequest__Output>
      ApplyPlanResponse: MessageTypeDefinition<_hetsched_v1_ApplyPlanResponse, _hetsched_v1_ApplyPlanResponse__Output>
      ExplainRequest: MessageTypeDefinition<_hetsched_v1_ExplainRequest, _hetsched_v1_ExplainRequest__Output>
      ExplainResponse: MessageTypeDefinition<_hetsched_v1_ExplainResponse, _hetsched_v1_ExplainResponse__Output>
      GetPlanRequest: MessageTypeDefinition<_hetsched_v1_GetPlanRequest, _hetsched_v1_GetPlanRequest__Output>
      GetPlanResponse: MessageTypeDefinition<_hetsched_v1_GetPlanResponse, _hetsched_v1_GetPlanResponse__Output>
      ModelPlan: MessageTypeDefinition<_hetsched_v1_ModelPlan, _hetsched_v1_ModelPlan__Output>
      ModelRef: MessageTypeDefinition<_hetsched_v1_ModelRef, _hetsched_v1_ModelRef__Output>
      PinnedOperator: MessageTypeDefinition<_hetsched_v1_PinnedOperator, _hetsched_v1_PinnedOperator__Output>
      PlanRequest: MessageTypeDefinition<_hetsched_v1_PlanRequest, _hetsched_v1_PlanRequest__Output>
      PlanResponse: MessageTypeDefinition<_hetsched_v1_PlanResponse, _hetsched_v1_PlanResponse__Output>
      /**
       * Where each model's operators run. A plan is the scheduling IR as JSON (kind "hetsched.plan",
       * version 1): every operator's processor, the segments that follow, the tensors that cross between
       * them, and every operator moved back to the CPU with the reason. A plan may carry an "alternate":
       * {"share": S, "plan": PLAN}, another placement of the same model that a share S (0 < S < 1) of its
       * requests run instead, spread evenly (e.g. 1/16 whole on the GPU while the CPU is saturated).
       */
      PlanService: SubtypeConstructor<typeof grpc.Client, _hetsched_v1_PlanServiceClient> & { service: _hetsched_v1_PlanServiceDefinition }
      PlanSummary: MessageTypeDefinition<_hetsched_v1_PlanSummary, _hetsched_v1_PlanSummary__Output>
      SegmentSummary: MessageTypeDefinition<_hetsched_v1_SegmentSummary, _hetsched_v1_SegmentSummary__Output>
    }
  }
}

