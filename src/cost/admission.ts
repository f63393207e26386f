/**
 * Requests the dispatcher runs at once per worker thread. A request holds its slot from dispatch
 * to reply, so under a split plan one waiting for the other processor's pool, or being handed
 * off, holds a slot while no thread works for it. With too few slots, requests queued at a busy
 * pool hold them all and an idle processor waits for work the dispatcher keeps back: a GPU
 * tenant behind CPU-bound audio tenants, say. Beyond the dispatcher, the pools keep its order
 * (earliest SLO deadline first), so more slots cost no priority; they bound the requests whose
 * tensors are held in flight. Eight: enough that the search's plans of the real-model mixes
 * score in the simulator at least as well as with unbounded slots (`npm run bench -- search`,
 * `ratio_vs_unbounded_request_slots`). On a CPU-only engine, where nothing waits on another
 * processor, they change neither throughput nor median latency beyond noise against one per
 * thread (`npm run bench -- admission`).
 */
export const REQUEST_SLOTS_PER_THREAD = 8;

/** The dispatcher's request slots for a machine with this many worker threads, all pools together. */
export function requestSlotsFor(workerThreads: number, perThread = REQUEST_SLOTS_PER_THREAD): number {
  return Math.max(1, perThread * workerThreads);
}
