import { formatShare, type Plan } from '../partition/index.js';

/**
 * One line of what a plan does: segments per processor and what was pinned back to the CPU, and
 * its alternate's segments with their share of the requests (which only an applied plan splits:
 * one request given the plan runs its own placement).
 */
export function describePlan(plan: Plan): string {
  const reasons = new Map<string, number>();
  for (const pin of plan.pinned) reasons.set(pin.reason, (reasons.get(pin.reason) ?? 0) + 1);
  const pinned =
    reasons.size === 0
      ? ''
      : `; pinned to cpu: ${[...reasons].map(([reason, count]) => `${count} ${reason}`).join(', ')}`;
  const alternate = plan.alternate
    ? `; alternate for ${formatShare(plan.alternate.share)} of the requests when applied: ${segmentsOf(plan.alternate.plan)}`
    : '';
  return `plan ${plan.spec}: ${segmentsOf(plan)}, ${plan.boundaries.length} boundary tensor(s)${pinned}${alternate}`;
}

/** '3 segment(s) (2 on cpu, 1 on gpu:0)'. */
function segmentsOf(plan: Plan): string {
  const perProcessor = new Map<string, number>();
  for (const segment of plan.segments)
    perProcessor.set(segment.processor, (perProcessor.get(segment.processor) ?? 0) + 1);
  const segments = [...perProcessor].map(([processor, count]) => `${count} on ${processor}`).join(', ');
  return `${plan.segments.length} segment(s) (${segments})`;
}
