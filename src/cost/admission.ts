/**
 * Requests the dispatcher runs at once per worker thread. A request holds its slot from dispatch
 * to reply, so under a split plan one waiting for the other processor's pool, or being handed
 * off, holds a slot while no thread works for it; with one slot per thread a processor can then
 * idle while requests wait in the dispatcher; with two, another request can use it meanwhile.
 * Beyond that, requests would only wait in the pools' FIFO queues instead of the dispatcher's
 * SLO-ordered ones. Where nothing waits on another processor (a CPU-only engine) two change
 * neither throughput nor median latency beyond noise (`npm run bench -- admission`).
 */
export const REQUEST_SLOTS_PER_THREAD = 2;

/** The dispatcher's request slots for a machine with this many worker threads, all pools together. */
export function requestSlotsFor(workerThreads: number, perThread = REQUEST_SLOTS_PER_THREAD): number {
  return Math.max(1, perThread * workerThreads);
}
