// Original file: proto/hetsched/v1/plan_service.proto

import type { Long } from '@grpc/proto-loader';

export interface SegmentSummary {
  'id'?: (number);
  /**
   * "cpu", "cpu:N" (a CPU lane) or "gpu:N".
   */
  'processor'?: (string);
  'operatorCount'?: (number);
  /**
   * Estimated floating-point operations per request; 0 where unknown.
   */
  'flops'?: (number | string);
  /**
   * Bytes entering and leaving the segment per request.
   */
  'bytesIn'?: (number | string | Long);
  'bytesOut'?: (number | string | Long);
  /**
   * Operator types in the segment with their counts, e.g. "Conv x12".
   */
  'operatorTypes'?: (string)[];
  /**
   * Intra-op threads of its CPU sessions where its lane has a thread budget (the plan's
   * "threads"); 0: the server's --intra-op-threads (on a GPU, always 0).
   */
  'threads'?: (number);
}

export interface SegmentSummary__Output {
  'id': (number);
  /**
   * "cpu", "cpu:N" (a CPU lane) or "gpu:N".
   */
  'processor': (string);
  'operatorCount': (number);
  /**
   * Estimated floating-point operations per request; 0 where unknown.
   */
  'flops': (number);
  /**
   * Bytes entering and leaving the segment per request.
   */
  'bytesIn': (string);
  'bytesOut': (string);
  /**
   * Operator types in the segment with their counts, e.g. "Conv x12".
   */
  'operatorTypes': (string)[];
  /**
   * Intra-op threads of its CPU sessions where its lane has a thread budget (the plan's
   * "threads"); 0: the server's --intra-op-threads (on a GPU, always 0).
   */
  'threads': (number);
}
