// Original file: proto/hetsched/v1/profile_service.proto

import type { ProfileProgress as _hetsched_v1_ProfileProgress, ProfileProgress__Output as _hetsched_v1_ProfileProgress__Output } from '../../hetsched/v1/ProfileProgress.js';
import type { ProfileResult as _hetsched_v1_ProfileResult, ProfileResult__Output as _hetsched_v1_ProfileResult__Output } from '../../hetsched/v1/ProfileResult.js';

export interface ProfileResponse {
  'progress'?: (_hetsched_v1_ProfileProgress | null);
  'result'?: (_hetsched_v1_ProfileResult | null);
  'event'?: "progress"|"result";
}

export interface ProfileResponse__Output {
  'progress'?: (_hetsched_v1_ProfileProgress__Output | null);
  'result'?: (_hetsched_v1_ProfileResult__Output | null);
  'event'?: "progress"|"result";
}
