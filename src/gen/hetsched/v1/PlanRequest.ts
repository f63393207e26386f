// Original file: proto/hetsched/v1/plan_service.proto

import type { ModelRef as _hetsched_v1_ModelRef, ModelRef__Output as _hetsched_v1_ModelRef__Output } from '../../hetsched/v1/ModelRef.js';

export interface PlanRequest {
  /**
   * The tenants planned together, each with its registered QoS (latency SLO, weight, request
   * rate; an unknown rate counts as 1 request/s). Empty: every registered model's latest version.
   */
  'models'?: (_hetsched_v1_ModelRef)[];
  /**
   * "throughput" (the default: weighted throughput with every tenant inside its SLO) or "latency"
   * (weighted mean latency at the expected rates).
   */
  'objective'?: (string);
  /**
   * Seeds the search: the same models, profiles and seed give the same plans.
   */
  'seed'?: (number);
  /**
   * Plan for this machine profile's GPU (e.g. "nvidia-h100-sxm", an analytic profile) with this
   * machine's CPU, instead of the GPU here.
   */
  'gpuProfile'?: (string);
  /**
   * Plan on a software GPU (SwiftShader, lavapipe); never by default: it shares the CPU's cores.
   */
  'allowSoftwareGpu'?: (boolean);
  /**
   * Measure what has no profile yet instead of failing (minutes per model).
   */
  'measure'?: (boolean);
  /**
   * Budgets: phase 1 episodes and phase 2 evaluations; 0 for the defaults.
   */
  'rlEpisodes'?: (number);
  'refineEvaluations'?: (number);
  /**
   * A report from an earlier Plan (or its "policy"): phase 1 starts from its trained policy.
   */
  'warmStartJson'?: (string);
  /**
   * Make the plans active (as ApplyPlan would), after the search.
   */
  'apply'?: (boolean);
  /**
   * Keep every CPU segment at the server's --intra-op-threads: no wider thread budgets (by
   * default the search may give a CPU segment 2, 3, ... times as many threads where every
   * model's profile measured them).
   */
  'noThreadBudgets'?: (boolean);
}

export interface PlanRequest__Output {
  /**
   * The tenants planned together, each with its registered QoS (latency SLO, weight, request
   * rate; an unknown rate counts as 1 request/s). Empty: every registered model's latest version.
   */
  'models': (_hetsched_v1_ModelRef__Output)[];
  /**
   * "throughput" (the default: weighted throughput with every tenant inside its SLO) or "latency"
   * (weighted mean latency at the expected rates).
   */
  'objective': (string);
  /**
   * Seeds the search: the same models, profiles and seed give the same plans.
   */
  'seed': (number);
  /**
   * Plan for this machine profile's GPU (e.g. "nvidia-h100-sxm", an analytic profile) with this
   * machine's CPU, instead of the GPU here.
   */
  'gpuProfile': (string);
  /**
   * Plan on a software GPU (SwiftShader, lavapipe); never by default: it shares the CPU's cores.
   */
  'allowSoftwareGpu': (boolean);
  /**
   * Measure what has no profile yet instead of failing (minutes per model).
   */
  'measure': (boolean);
  /**
   * Budgets: phase 1 episodes and phase 2 evaluations; 0 for the defaults.
   */
  'rlEpisodes': (number);
  'refineEvaluations': (number);
  /**
   * A report from an earlier Plan (or its "policy"): phase 1 starts from its trained policy.
   */
  'warmStartJson': (string);
  /**
   * Make the plans active (as ApplyPlan would), after the search.
   */
  'apply': (boolean);
  /**
   * Keep every CPU segment at the server's --intra-op-threads: no wider thread budgets (by
   * default the search may give a CPU segment 2, 3, ... times as many threads where every
   * model's profile measured them).
   */
  'noThreadBudgets': (boolean);
}
