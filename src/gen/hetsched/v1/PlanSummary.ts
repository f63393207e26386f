// Original file: proto/hetsched/v1/plan_service.proto

import type { PinnedOperator as _hetsched_v1_PinnedOperator, PinnedOperator__Output as _hetsched_v1_PinnedOperator__Output } from '../../hetsched/v1/PinnedOperator.js';
import type { Long } from '@grpc/proto-loader';

export interface PlanSummary {
  /**
   * How the placement was asked for.
   */
  'spec'?: (string);
  'segmentCount'?: (number);
  'boundaryCount'?: (number);
  /**
   * Bytes crossing segment boundaries per request (0 where shapes are unknown).
   */
  'boundaryBytes'?: (number | string | Long);
  'pinned'?: (_hetsched_v1_PinnedOperator)[];
  /**
   * True when shapes come from running the model, false when only declared.
   */
  'shapesExact'?: (boolean);
  /**
   * The share of the model's requests that run the plan's alternate (0 < share < 1); 0 when the
   * plan has none. (Flat fields rather than a nested PlanSummary: a message holding itself makes
   * the generated types import themselves.)
   */
  'alternateShare'?: (number | string);
  /**
   * How the alternate's placement was asked for; "" without an alternate.
   */
  'alternateSpec'?: (string);
  /**
   * The alternate's segments (ExplainResponse.alternate_segments lists them); 0 without one.
   */
  'alternateSegmentCount'?: (number);
}

export interface PlanSummary__Output {
  /**
   * How the placement was asked for.
   */
  'spec': (string);
  'segmentCount': (number);
  'boundaryCount': (number);
  /**
   * Bytes crossing segment boundaries per request (0 where shapes are unknown).
   */
  'boundaryBytes': (string);
  'pinned': (_hetsched_v1_PinnedOperator__Output)[];
  /**
   * True when shapes come from running the model, false when only declared.
   */
  'shapesExact': (boolean);
  /**
   * The share of the model's requests that run the plan's alternate (0 < share < 1); 0 when the
   * plan has none. (Flat fields rather than a nested PlanSummary: a message holding itself makes
   * the generated types import themselves.)
   */
  'alternateShare': (number);
  /**
   * How the alternate's placement was asked for; "" without an alternate.
   */
  'alternateSpec': (string);
  /**
   * The alternate's segments (ExplainResponse.alternate_segments lists them); 0 without one.
   */
  'alternateSegmentCount': (number);
}
