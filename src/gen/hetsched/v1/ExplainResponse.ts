// Original file: proto/hetsched/v1/plan_service.proto

import type { PlanSummary as _hetsched_v1_PlanSummary, PlanSummary__Output as _hetsched_v1_PlanSummary__Output } from '../../hetsched/v1/PlanSummary.js';
import type { SegmentSummary as _hetsched_v1_SegmentSummary, SegmentSummary__Output as _hetsched_v1_SegmentSummary__Output } from '../../hetsched/v1/SegmentSummary.js';

export interface ExplainResponse {
  'planJson'?: (string);
  'summary'?: (_hetsched_v1_PlanSummary | null);
  'segments'?: (_hetsched_v1_SegmentSummary)[];
  /**
   * The partitioned graph of the plan's own placement (its alternate's is alternate_dot/svg).
   */
  'dot'?: (string);
  'svg'?: (string);
  /**
   * The segments of the plan's alternate, if it has one (summary.alternate_share is its share).
   */
  'alternateSegments'?: (_hetsched_v1_SegmentSummary)[];
  /**
   * The partitioned graph of the plan's alternate, drawn as dot and svg are, where they were asked
   * for and the plan has an alternate; "" otherwise.
   */
  'alternateDot'?: (string);
  'alternateSvg'?: (string);
}

export interface ExplainResponse__Output {
  'planJson': (string);
  'summary': (_hetsched_v1_PlanSummary__Output | null);
  'segments': (_hetsched_v1_SegmentSummary__Output)[];
  /**
   * The partitioned graph of the plan's own placement (its alternate's is alternate_dot/svg).
   */
  'dot': (string);
  'svg': (string);
  /**
   * The segments of the plan's alternate, if it has one (summary.alternate_share is its share).
   */
  'alternateSegments': (_hetsched_v1_SegmentSummary__Output)[];
  /**
   * The partitioned graph of the plan's alternate, drawn as dot and svg are, where they were asked
   * for and the plan has an alternate; "" otherwise.
   */
  'alternateDot': (string);
  'alternateSvg': (string);
}
