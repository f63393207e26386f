import type { Plan } from '../partition/index.js';

/** One line of what a plan does: segments per processor and what was pinned back to the CPU. */
export function describePlan(plan: Plan): string {
  const perProcessor = new Map<string, number>();
  for (const segment of plan.segments)
    perProcessor.set(segment.processor, (perProcessor.get(segment.processor) ?? 0) + 1);
  const segments = [...perProcessor].map(([processor, count]) => `${count} on ${processor}`).join(', ');
  const reasons = new Map<string, number>();
  for (const pin of plan.pinned) reasons.set(pin.reason, (reasons.get(pin.reason) ?? 0) + 1);
  const pinned =
    reasons.size === 0
      ? ''
      : `; pinned to cpu: ${[...reasons].map(([reason, count]) => `${count} ${reason}`).join(', ')}`;
  return `plan ${plan.spec}: ${plan.segments.length} segment(s) (${segments}), ${plan.boundaries.length} boundary tensor(s)${pinned}`;
}
