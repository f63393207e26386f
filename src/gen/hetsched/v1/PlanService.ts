// Original file: proto/hetsched/v1/plan_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ApplyPlanRequest as _hetsched_v1_ApplyPlanRequest, ApplyPlanRequest__Output as _hetsched_v1_ApplyPlanRequest__Output } from '../../hetsched/v1/ApplyPlanRequest.js';
import type { ApplyPlanResponse as _hetsched_v1_ApplyPlanResponse, ApplyPlanResponse__Output as _hetsched_v1_ApplyPlanResponse__Output } from '../../hetsched/v1/ApplyPlanResponse.js';
import type { ExplainRequest as _hetsched_v1_ExplainRequest, ExplainRequest__Output as _hetsched_v1_ExplainRequest__Output } from '../../hetsched/v1/ExplainRequest.js';
import type { ExplainResponse as _hetsched_v1_ExplainResponse, ExplainResponse__Output as _hetsched_v1_ExplainResponse__Output } from '../../hetsched/v1/ExplainResponse.js';
import type { GetPlanRequest as _hetsched_v1_GetPlanRequest, GetPlanRequest__Output as _hetsched_v1_GetPlanRequest__Output } from '../../hetsched/v1/GetPlanRequest.js';
import type { GetPlanResponse as _hetsched_v1_GetPlanResponse, GetPlanResponse__Output as _hetsched_v1_GetPlanResponse__Output } from '../../hetsched/v1/GetPlanResponse.js';
import type { PlanRequest as _hetsched_v1_PlanRequest, PlanRequest__Output as _hetsched_v1_PlanRequest__Output } from '../../hetsched/v1/PlanRequest.js';
import type { PlanResponse as _hetsched_v1_PlanResponse, PlanResponse__Output as _hetsched_v1_PlanResponse__Output } from '../../hetsched/v1/PlanResponse.js';

/**
 * Where each model's operators run. A plan is the scheduling IR as JSON (kind "hetsched.plan",
 * version 1): every operator's processor, the segments that follow, the tensors that cross between
 * them, and every operator moved back to the CPU with the reason. A plan may carry an "alternate":
 * {"share": S, "plan": PLAN}, another placement of the same model that a share S (0 < S < 1) of its
 * requests run instead, spread evenly (e.g. 1/16 whole on the GPU while the CPU is saturated).
 */
export interface PlanServiceClient extends grpc.Client {
  /**
   * Resolves a placement into a plan and makes it the model's active one; it survives restarts.
   * plan_json may carry an alternate: its placement is pinned alike, and requests are split
   * between the two from the next one on. INVALID_ARGUMENT for a malformed placement or a plan
   * that does not fit the model, or an alternate whose share is not in (0, 1), that has an
   * alternate of its own, or that places every operator as the plan does.
   */
  ApplyPlan(argument: _hetsched_v1_ApplyPlanRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_ApplyPlanResponse__Output>): grpc.ClientUnaryCall;
  ApplyPlan(argument: _hetsched_v1_ApplyPlanRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_ApplyPlanResponse__Output>): grpc.ClientUnaryCall;
  ApplyPlan(argument: _hetsched_v1_ApplyPlanRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_ApplyPlanResponse__Output>): grpc.ClientUnaryCall;
  ApplyPlan(argument: _hetsched_v1_ApplyPlanRequest, callback: grpc.requestCallback<_hetsched_v1_ApplyPlanResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Resolves a placement into a plan and makes it the model's active one; it survives restarts.
   * plan_json may carry an alternate: its placement is pinned alike, and requests are split
   * between the two from the next one on. INVALID_ARGUMENT for a malformed placement or a plan
   * that does not fit the model, or an alternate whose share is not in (0, 1), that has an
   * alternate of its own, or that places every operator as the plan does.
   */
  applyPlan(argument: _hetsched_v1_ApplyPlanRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_ApplyPlanResponse__Output>): grpc.ClientUnaryCall;
  applyPlan(argument: _hetsched_v1_ApplyPlanRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_ApplyPlanResponse__Output>): grpc.ClientUnaryCall;
  applyPlan(argument: _hetsched_v1_ApplyPlanRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_ApplyPlanResponse__Output>): grpc.ClientUnaryCall;
  applyPlan(argument: _hetsched_v1_ApplyPlanRequest, callback: grpc.requestCallback<_hetsched_v1_ApplyPlanResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Describes what a placement would do, without applying it: segments with their processor,
   * operator count, estimated FLOPs and boundary bytes; optionally as Graphviz DOT and SVG.
   */
  Explain(argument: _hetsched_v1_ExplainRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_ExplainResponse__Output>): grpc.ClientUnaryCall;
  Explain(argument: _hetsched_v1_ExplainRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_ExplainResponse__Output>): grpc.ClientUnaryCall;
  Explain(argument: _hetsched_v1_ExplainRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_ExplainResponse__Output>): grpc.ClientUnaryCall;
  Explain(argument: _hetsched_v1_ExplainRequest, callback: grpc.requestCallback<_hetsched_v1_ExplainResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Describes what a placement would do, without applying it: segments with their processor,
   * operator count, estimated FLOPs and boundary bytes; optionally as Graphviz DOT and SVG.
   */
  explain(argument: _hetsched_v1_ExplainRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_ExplainResponse__Output>): grpc.ClientUnaryCall;
  explain(argument: _hetsched_v1_ExplainRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_ExplainResponse__Output>): grpc.ClientUnaryCall;
  explain(argument: _hetsched_v1_ExplainRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_ExplainResponse__Output>): grpc.ClientUnaryCall;
  explain(argument: _hetsched_v1_ExplainRequest, callback: grpc.requestCallback<_hetsched_v1_ExplainResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The model's active plan (all-cpu until one is applied), with its alternate if it has one.
   */
  GetPlan(argument: _hetsched_v1_GetPlanRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_GetPlanResponse__Output>): grpc.ClientUnaryCall;
  GetPlan(argument: _hetsched_v1_GetPlanRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_GetPlanResponse__Output>): grpc.ClientUnaryCall;
  GetPlan(argument: _hetsched_v1_GetPlanRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_GetPlanResponse__Output>): grpc.ClientUnaryCall;
  GetPlan(argument: _hetsched_v1_GetPlanRequest, callback: grpc.requestCallback<_hetsched_v1_GetPlanResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The model's active plan (all-cpu until one is applied), with its alternate if it has one.
   */
  getPlan(argument: _hetsched_v1_GetPlanRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_GetPlanResponse__Output>): grpc.ClientUnaryCall;
  getPlan(argument: _hetsched_v1_GetPlanRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_GetPlanResponse__Output>): grpc.ClientUnaryCall;
  getPlan(argument: _hetsched_v1_GetPlanRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_GetPlanResponse__Output>): grpc.ClientUnaryCall;
  getPlan(argument: _hetsched_v1_GetPlanRequest, callback: grpc.requestCallback<_hetsched_v1_GetPlanResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Searches where every operator of several models should run when they share this machine: a
   * two-phase search (reinforcement learning over coarse blocks, then operator-level refinement)
   * on the models' profiles, every candidate judged by the simulator against baselines (all-CPU,
   * all-GPU, ONNX Runtime's rule, model-level, layer-level greedy, random search) and an LP upper
   * bound. Returns a plan per model and, with apply, makes them active. FAILED_PRECONDITION when
   * a model has no profile on this machine (call ProfileService.Profile, or set measure).
   */
  Plan(argument: _hetsched_v1_PlanRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  Plan(argument: _hetsched_v1_PlanRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  Plan(argument: _hetsched_v1_PlanRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  Plan(argument: _hetsched_v1_PlanRequest, callback: grpc.requestCallback<_hetsched_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Searches where every operator of several models should run when they share this machine: a
   * two-phase search (reinforcement learning over coarse blocks, then operator-level refinement)
   * on the models' profiles, every candidate judged by the simulator against baselines (all-CPU,
   * all-GPU, ONNX Runtime's rule, model-level, layer-level greedy, random search) and an LP upper
   * bound. Returns a plan per model and, with apply, makes them active. FAILED_PRECONDITION when
   * a model has no profile on this machine (call ProfileService.Profile, or set measure).
   */
  plan(argument: _hetsched_v1_PlanRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  plan(argument: _hetsched_v1_PlanRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_hetsched_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  plan(argument: _hetsched_v1_PlanRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_hetsched_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  plan(argument: _hetsched_v1_PlanRequest, callback: grpc.requestCallback<_hetsched_v1_PlanResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Where each model's operators run. A plan is the scheduling IR as JSON (kind "hetsched.plan",
 * version 1): every operator's processor, the segments that follow, the tensors that cross between
 * them, and every operator moved back to the CPU with the reason. A plan may carry an "alternate":
 * {"share": S, "plan": PLAN}, another placement of the same model that a share S (0 < S < 1) of its
 * requests run instead, spread evenly (e.g. 1/16 whole on the GPU while the CPU is saturated).
 */
export interface PlanServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Resolves a placement into a plan and makes it the model's active one; it survives restarts.
   * plan_json may carry an alternate: its placement is pinned alike, and requests are split
   * between the two from the next one on. INVALID_ARGUMENT for a malformed placement or a plan
   * that does not fit the model, or an alternate whose share is not in (0, 1), that has an
   * alternate of its own, or that places every operator as the plan does.
   */
  ApplyPlan: grpc.handleUnaryCall<_hetsched_v1_ApplyPlanRequest__Output, _hetsched_v1_ApplyPlanResponse>;
  
  /**
   * Describes what a placement would do, without applying it: segments with their processor,
   * operator count, estimated FLOPs and boundary bytes; optionally as Graphviz DOT and SVG.
   */
  Explain: grpc.handleUnaryCall<_hetsched_v1_ExplainRequest__Output, _hetsched_v1_ExplainResponse>;
  
  /**
   * The model's active plan (all-cpu until one is applied), with its alternate if it has one.
   */
  GetPlan: grpc.handleUnaryCall<_hetsched_v1_GetPlanRequest__Output, _hetsched_v1_GetPlanResponse>;
  
  /**
   * Searches where every operator of several models should run when they share this machine: a
   * two-phase search (reinforcement learning over coarse blocks, then operator-level refinement)
   * on the models' profiles, every candidate judged by the simulator against baselines (all-CPU,
   * all-GPU, ONNX Runtime's rule, model-level, layer-level greedy, random search) and an LP upper
   * bound. Returns a plan per model and, with apply, makes them active. FAILED_PRECONDITION when
   * a model has no profile on this machine (call ProfileService.Profile, or set measure).
   */
  Plan: grpc.handleUnaryCall<_hetsched_v1_PlanRequest__Output, _hetsched_v1_PlanResponse>;
  
}

export interface PlanServiceDefinition extends grpc.ServiceDefinition {
  ApplyPlan: MethodDefinition<_hetsched_v1_ApplyPlanRequest, _hetsched_v1_ApplyPlanResponse, _hetsched_v1_ApplyPlanRequest__Output, _hetsched_v1_ApplyPlanResponse__Output>
  Explain: MethodDefinition<_hetsched_v1_ExplainRequest, _hetsched_v1_ExplainResponse, _hetsched_v1_ExplainRequest__Output, _hetsched_v1_ExplainResponse__Output>
  GetPlan: MethodDefinition<_hetsched_v1_GetPlanRequest, _hetsched_v1_GetPlanResponse, _hetsched_v1_GetPlanRequest__Output, _hetsched_v1_GetPlanResponse__Output>
  Plan: MethodDefinition<_hetsched_v1_PlanRequest, _hetsched_v1_PlanResponse, _hetsched_v1_PlanRequest__Output, _hetsched_v1_PlanResponse__Output>
}
