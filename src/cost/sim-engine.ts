import { Rng } from '../common/index.js';
import { EventHeap } from './sim-heap.js';
import { IdleQueue } from './sim-idle-queue.js';
import type { SimModel } from './sim-model.js';
import { PoolQueues } from './sim-pool-queue.js';
import { RequestQueue } from './sim-queue.js';
import { type SimCounts, SimTally } from './sim-tally.js';
import { TraceRecorder } from './sim-trace-recorder.js';

// An event is one int32: the kind in the low 3 bits, an index above them.
const ARRIVAL = 0; // index: tenant
const HANDOFF_DONE = 1; // index: segment instance (request slot << stride bits | segment)
const SEGMENT_DONE = 2; // index: segment instance
const REQUEST_DONE = 3; // index: request slot
const IDLE_DONE = 4; // index: pool (a worker's wait on the main thread ended)
const KIND_BITS = 3;
const KIND_MASK = 7;

/**
 * The discrete-event loop. Mirrors the runtime: per-tenant FIFO queues bounded at admission, a
 * dispatcher starting the earliest-SLO-deadline queue head while a request slot is free
 * (runtime/dispatcher.ts), then dataflow over the request's segments: a segment becomes ready when
 * its deps finished, waits its hand-off, queues on its pool by its request's SLO deadline
 * (runtime/slot-gate.ts), runs on a free slot (runtime/dataflow.ts). A completed request leaves
 * the CPU workers a wait on the main thread (SimTenant.workerIdleMs), which holds a CPU slot
 * ahead of waiting segments. What the window measures is counted apart (SimTally). State lives in
 * typed arrays indexed by request slot and segment, so the loop allocates nothing per event
 * except when a buffer must grow.
 */
export class Simulation {
  private readonly m: SimModel;
  private readonly heap: EventHeap;
  private readonly endMs: number;
  private readonly strideBits: number;
  private readonly strideMask: number;
  private readonly rngs: Rng[];
  /** Draws the segments' run-to-run variation; forked after the tenants' arrival streams. */
  private readonly serviceRng: Rng;
  private readonly queues: RequestQueue[];
  private readonly requestNumber: Int32Array;

  // Request slots (the dispatcher's): who runs there and how far along it is.
  private readonly slotTenant: Int32Array;
  private readonly slotNumber: Int32Array;
  private readonly slotArrivalMs: Float64Array;
  private readonly slotSegmentsLeft: Int32Array;
  private readonly freeSlots: Int32Array;
  private freeSlotCount: number;
  /** Per segment instance: deps still running. */
  private readonly depsLeft: Int32Array;

  // Pools: busy slots and a queue of waiting segment instances each, earliest SLO deadline first.
  private readonly poolBusy: Int32Array;
  private readonly poolQueues: PoolQueues;
  private readonly idleQueue = new IdleQueue();

  /** The window's counts, and the arrivals whose outcome is still open. */
  private readonly tally: SimTally;

  private readonly recorder: TraceRecorder | undefined;

  constructor(model: SimModel) {
    this.m = model;
    const tenants = model.tenantCount;
    const slots = model.requestSlots;
    this.endMs = model.warmupMs + model.horizonMs;
    // A power-of-two stride turns instance -> (slot, segment) into a shift and a mask.
    this.strideBits = Math.max(0, Math.ceil(Math.log2(Math.max(1, model.maxSegments))));
    this.strideMask = (1 << this.strideBits) - 1;
    const instances = slots << this.strideBits;

    const root = new Rng(model.seed);
    // Forked in tenant order for every tenant, so appending a tenant leaves the others' arrivals as they were.
    this.rngs = model.tenantNames.map(() => root.fork());
    this.serviceRng = root.fork();
    const queueCapacity = Math.min(64, model.maxQueueLength);
    this.queues = model.tenantNames.map(() => new RequestQueue(queueCapacity));
    this.requestNumber = new Int32Array(tenants);

    this.slotTenant = new Int32Array(slots);
    this.slotNumber = new Int32Array(slots);
    this.slotArrivalMs = new Float64Array(slots);
    this.slotSegmentsLeft = new Int32Array(slots);
    this.freeSlots = new Int32Array(slots);
    // Reversed so that slot 0 is taken first: traces read naturally.
    for (let i = 0; i < slots; i++) this.freeSlots[i] = slots - 1 - i;
    this.freeSlotCount = slots;
    this.depsLeft = new Int32Array(instances);

    const pools = model.poolIds.length;
    this.poolBusy = new Int32Array(pools);
    // Sized for a waiting segment per running request; the rings grow past it if need be.
    this.poolQueues = new PoolQueues(pools, slots);

    this.tally = new SimTally(tenants, pools, model.warmupMs, this.endMs);

    let clients = 0;
    for (let t = 0; t < tenants; t++) clients += model.clients[t] ?? 0;
    const cpuSlots = model.cpuPool >= 0 ? (model.poolSlots[model.cpuPool] ?? 0) : 0;
    this.heap = new EventHeap(tenants + clients + instances + slots + cpuSlots);

    this.recorder = model.trace ? new TraceRecorder(model.poolIds, model.poolSlots, instances) : undefined;
  }

  run(): SimCounts {
    const m = this.m;
    for (let t = 0; t < m.tenantCount; t++) {
      if (m.closed[t] === 1) {
        for (let c = 0; c < (m.clients[t] ?? 0); c++) this.heap.push(0, (t << KIND_BITS) | ARRIVAL);
      } else {
        this.scheduleArrival(t, 0);
      }
    }
    let maxSloMs = 0;
    for (let t = 0; t < m.tenantCount; t++) maxSloMs = Math.max(maxSloMs, m.sloMs[t] ?? 0);
    // Past the window the run goes on only until each window arrival is decided: by then every
    // deadline of one has passed.
    const stopMs = this.endMs + maxSloMs;
    const heap = this.heap;
    while (heap.size > 0) {
      const now = heap.peekTime();
      if (now >= this.endMs && (this.tally.undecided === 0 || now >= stopMs)) break;
      const event = heap.pop();
      const index = event >> KIND_BITS;
      switch (event & KIND_MASK) {
        case ARRIVAL:
          this.arrive(index, now);
          break;
        case HANDOFF_DONE:
          this.enqueue(index, this.globalSegment(index), now);
          break;
        case SEGMENT_DONE:
          this.segmentDone(index, now);
          break;
        case IDLE_DONE:
          this.releasePoolSlots(index, 1, now);
          break;
        default:
          this.finishRequest(index, now);
      }
    }
    return this.tally.counts(this.recorder?.events);
  }

  private scheduleArrival(tenant: number, nowMs: number): void {
    const meanGapMs = this.m.meanGapMs[tenant] ?? Number.POSITIVE_INFINITY;
    if (meanGapMs === Number.POSITIVE_INFINITY) return;
    const rng = this.rngs[tenant];
    if (rng === undefined) return;
    // Exponential gap by inversion; 1 - u is in (0, 1], so the log is finite.
    const gapMs = -Math.log(1 - rng.float()) * meanGapMs;
    this.heap.push(nowMs + gapMs, (tenant << KIND_BITS) | ARRIVAL);
  }

  private arrive(tenant: number, nowMs: number): void {
    const m = this.m;
    const closed = m.closed[tenant] === 1;
    if (!closed) this.scheduleArrival(tenant, nowMs);
    const number = this.requestNumber[tenant] ?? 0;
    this.requestNumber[tenant] = number + 1;
    const queue = this.queues[tenant];
    if (queue === undefined) return;
    const admitted = queue.length < m.maxQueueLength;
    this.tally.arrival(tenant, nowMs, admitted);
    if (!admitted) {
      // The rejected client thinks, then sends its next request.
      if (closed) this.heap.push(nowMs + (m.thinkMs[tenant] ?? 0), (tenant << KIND_BITS) | ARRIVAL);
      return;
    }
    queue.push(nowMs, number);
    if (this.freeSlotCount > 0) this.dispatch(nowMs);
  }

  /** Starts queued requests while request slots are free: earliest SLO deadline among queue heads first. */
  private dispatch(nowMs: number): void {
    const m = this.m;
    const queues = this.queues;
    while (this.freeSlotCount > 0) {
      let best = -1;
      let bestDeadlineMs = Number.POSITIVE_INFINITY;
      for (let t = 0; t < m.tenantCount; t++) {
        const queue = queues[t];
        if (queue === undefined || queue.length === 0) continue;
        const deadlineMs = queue.headArrivalMs() + (m.sloMs[t] ?? 0);
        // Strict `<` keeps the lower tenant index on ties.
        if (best < 0 || deadlineMs < bestDeadlineMs) {
          best = t;
          bestDeadlineMs = deadlineMs;
        }
      }
      const queue = queues[best];
      if (queue === undefined) return;
      const arrivalMs = queue.headArrivalMs();
      const number = queue.headNumber();
      queue.shift();
      const slot = this.freeSlots[--this.freeSlotCount] ?? 0;
      this.startRequest(slot, best, arrivalMs, number, nowMs);
    }
  }

  private startRequest(slot: number, tenant: number, arrivalMs: number, number: number, nowMs: number): void {
    const m = this.m;
    this.slotTenant[slot] = tenant;
    this.slotNumber[slot] = number;
    this.slotArrivalMs[slot] = arrivalMs;
    if (this.recorder) {
      const name = m.tenantNames[tenant] ?? '';
      this.recorder.requestWait(name, `${name}#${number} queued`, arrivalMs, nowMs);
    }
    const base = m.segmentBase[tenant] ?? 0;
    const count = (m.segmentBase[tenant + 1] ?? 0) - base;
    this.slotSegmentsLeft[slot] = count;
    const first = slot << this.strideBits;
    const depsLeft = this.depsLeft;
    const depCount = m.depCount;
    for (let s = 0; s < count; s++) depsLeft[first + s] = depCount[base + s] ?? 0;
    if (count === 0) {
      this.segmentsFinished(slot, tenant, nowMs);
      return;
    }
    const rootsEnd = m.rootStart[tenant + 1] ?? 0;
    for (let i = m.rootStart[tenant] ?? 0; i < rootsEnd; i++) {
      const s = m.roots[i] ?? 0;
      this.ready(first + s, base + s, nowMs);
    }
  }

  private globalSegment(instance: number): number {
    const tenant = this.slotTenant[instance >> this.strideBits] ?? 0;
    return (this.m.segmentBase[tenant] ?? 0) + (instance & this.strideMask);
  }

  /** Deps done: the hand-off delays it without holding a pool, then it queues. */
  private ready(instance: number, segment: number, nowMs: number): void {
    const handoffMs = this.m.handoffMs[segment] ?? 0;
    if (handoffMs > 0) this.heap.push(nowMs + handoffMs, (instance << KIND_BITS) | HANDOFF_DONE);
    else this.enqueue(instance, segment, nowMs);
  }

  private enqueue(instance: number, segment: number, nowMs: number): void {
    const pool = this.m.segmentPool[segment] ?? 0;
    // A segment joins its pool's line by its SLO deadline; none overtakes the one first in line on
    // a free slot (a wide segment would starve otherwise).
    const free = (this.m.poolSlots[pool] ?? 0) - (this.poolBusy[pool] ?? 0);
    if (this.poolQueues.waiting(pool) === 0 && (this.m.segmentSlots[segment] ?? 1) <= free) {
      this.startSegment(instance, segment, pool, nowMs);
      return;
    }
    const slot = instance >> this.strideBits;
    const sloDeadlineMs = (this.slotArrivalMs[slot] ?? 0) + (this.m.sloMs[this.slotTenant[slot] ?? 0] ?? 0);
    this.poolQueues.push(pool, instance, sloDeadlineMs);
    if (this.recorder) this.recorder.queued(instance, nowMs);
    // Due before a waiting wide segment, it may be first in line now and fit the free slots.
    if (free > 0) this.releasePoolSlots(pool, 0, nowMs);
  }

  private startSegment(instance: number, segment: number, pool: number, nowMs: number): void {
    const m = this.m;
    const others = this.poolBusy[pool] ?? 0;
    const slots = m.segmentSlots[segment] ?? 1;
    this.poolBusy[pool] = others + slots;
    let durationMs = m.durationMs[segment] ?? 0;
    const factorBase = m.factorBase[segment] ?? -1;
    if (factorBase >= 0) durationMs *= m.factors[factorBase + others] ?? 1;
    const spread = m.spreadLogSd[segment] ?? 0;
    if (spread > 0) durationMs *= Math.exp(spread * this.serviceRng.normal());
    const endMs = nowMs + durationMs;
    this.tally.poolBusy(pool, slots, nowMs, endMs);
    this.heap.push(endMs, (instance << KIND_BITS) | SEGMENT_DONE);
    if (this.recorder) this.traceSegment(instance, pool, slots, nowMs, durationMs);
  }

  private segmentDone(instance: number, nowMs: number): void {
    const m = this.m;
    const slot = instance >> this.strideBits;
    const tenant = this.slotTenant[slot] ?? 0;
    const base = m.segmentBase[tenant] ?? 0;
    const segment = base + (instance & this.strideMask);
    const pool = m.segmentPool[segment] ?? 0;
    if (this.recorder) this.recorder.segmentEnded(instance, pool);
    // The freed pool slots go to the waiters before this segment's successors queue up.
    this.releasePoolSlots(pool, m.segmentSlots[segment] ?? 1, nowMs);
    const first = slot << this.strideBits;
    const depsLeft = this.depsLeft;
    const successors = m.successors;
    const end = m.successorStart[segment + 1] ?? 0;
    for (let i = m.successorStart[segment] ?? 0; i < end; i++) {
      const s = successors[i] ?? 0;
      const left = (depsLeft[first + s] ?? 1) - 1;
      depsLeft[first + s] = left;
      if (left === 0) this.ready(first + s, base + s, nowMs);
    }
    const left = (this.slotSegmentsLeft[slot] ?? 1) - 1;
    this.slotSegmentsLeft[slot] = left;
    if (left === 0) this.segmentsFinished(slot, tenant, nowMs);
  }

  /**
   * Pool slots came free: workers' waits on the main thread take them first (the main thread is
   * scheduled ahead of queued work), then waiting segments, earliest SLO deadline first, while the
   * head fits.
   */
  private releasePoolSlots(pool: number, count: number, nowMs: number): void {
    this.poolBusy[pool] = (this.poolBusy[pool] ?? count) - count;
    const slots = this.m.poolSlots[pool] ?? 0;
    while ((this.poolBusy[pool] ?? 0) < slots) {
      if (pool === this.m.cpuPool && this.idleQueue.length > 0) {
        this.startIdle(pool, this.idleQueue.shift(), nowMs);
        continue;
      }
      if (this.poolQueues.waiting(pool) === 0) return;
      const next = this.poolQueues.peek(pool);
      const segment = this.globalSegment(next);
      if ((this.m.segmentSlots[segment] ?? 1) > slots - (this.poolBusy[pool] ?? 0)) return;
      this.poolQueues.shift(pool);
      this.startSegment(next, segment, pool, nowMs);
    }
  }

  /** A completed request's cost to the CPU workers: a slot held idle, now or when one comes free. */
  private workerIdle(tenant: number, nowMs: number): void {
    const durationMs = this.m.workerIdleMs[tenant] ?? 0;
    const pool = this.m.cpuPool;
    if (!(durationMs > 0) || pool < 0) return;
    if ((this.poolBusy[pool] ?? 0) < (this.m.poolSlots[pool] ?? 0)) {
      this.startIdle(pool, durationMs, nowMs);
      return;
    }
    this.idleQueue.push(durationMs);
  }

  private startIdle(pool: number, durationMs: number, nowMs: number): void {
    this.poolBusy[pool] = (this.poolBusy[pool] ?? 0) + 1;
    this.heap.push(nowMs + durationMs, (pool << KIND_BITS) | IDLE_DONE);
  }

  /** All segments done: returning the outputs still holds the request slot. */
  private segmentsFinished(slot: number, tenant: number, nowMs: number): void {
    const outputMs = this.m.outputMs[tenant] ?? 0;
    if (outputMs > 0) this.heap.push(nowMs + outputMs, (slot << KIND_BITS) | REQUEST_DONE);
    else this.finishRequest(slot, nowMs);
  }

  private finishRequest(slot: number, nowMs: number): void {
    const m = this.m;
    const tenant = this.slotTenant[slot] ?? 0;
    this.tally.completion(tenant, this.slotArrivalMs[slot] ?? 0, nowMs, m.sloMs[tenant] ?? 0);
    this.workerIdle(tenant, nowMs);
    this.freeSlots[this.freeSlotCount++] = slot;
    if (m.closed[tenant] === 1)
      this.heap.push(nowMs + (m.thinkMs[tenant] ?? 0), (tenant << KIND_BITS) | ARRIVAL);
    this.dispatch(nowMs);
  }

  private traceSegment(
    instance: number,
    pool: number,
    slots: number,
    nowMs: number,
    durationMs: number,
  ): void {
    const m = this.m;
    const slot = instance >> this.strideBits;
    const tenant = m.tenantNames[this.slotTenant[slot] ?? 0] ?? '';
    const name = `${tenant}#${this.slotNumber[slot] ?? 0}/s${instance & this.strideMask}`;
    this.recorder?.segmentStarted(instance, pool, slots, name, tenant, nowMs, durationMs);
  }
}
