import type { ChromeTraceEvent } from './sim-types.js';

interface Lane {
  readonly tid: number;
  endMs: number;
}

/**
 * Collects the simulator's Chrome trace: one process per pool with one thread per slot, waits for
 * a pool slot on extra "queue" threads of that pool, and waits for a request slot on the
 * dispatcher's threads, per tenant. Waits overlap, and a viewer wants the spans of one thread
 * nested, so each wait takes the first lane of its group that is free by then (greedy interval
 * colouring; a lane remembers its latest end, so any emission order stays overlap-free).
 * Segment instances are the engine's indices (request slot and segment); times are ms.
 */
export class TraceRecorder {
  readonly events: ChromeTraceEvent[] = [];
  private readonly dispatcherPid: number;
  private readonly lanes = new Map<string, Lane[]>();
  private readonly nextTid: number[];
  /** Per instance: when it joined its pool's queue (Infinity: it did not wait), the pool slot it holds. */
  private readonly queuedMs: Float64Array;
  private readonly heldSlot: Int32Array;
  /** The slots beyond the first that a wide segment instance holds (SimSegment.slots > 1). */
  private readonly heldExtra = new Map<number, number[]>();
  /** Per pool: a stack of free slot numbers, so spans land on the slot that actually ran them. */
  private readonly freeSlots: Int32Array[];
  private readonly freeCount: Int32Array;

  constructor(poolIds: readonly string[], poolSlots: Int32Array, instances: number) {
    this.dispatcherPid = poolIds.length;
    this.nextTid = [...poolSlots, 0];
    this.queuedMs = new Float64Array(instances).fill(Number.POSITIVE_INFINITY);
    this.heldSlot = new Int32Array(instances);
    this.freeSlots = Array.from(poolSlots, (n) => Int32Array.from({ length: n }, (_, i) => n - 1 - i));
    this.freeCount = Int32Array.from(poolSlots);
    poolIds.forEach((id, pid) => {
      this.meta('process_name', pid, 0, id);
      for (let slot = 0; slot < (poolSlots[pid] ?? 0); slot++) {
        this.meta('thread_name', pid, slot, `slot ${slot}`);
      }
    });
    this.meta('process_name', this.dispatcherPid, 0, 'dispatcher queue');
  }

  /** A ready segment instance joined its pool's queue: every slot was busy. */
  queued(instance: number, nowMs: number): void {
    this.queuedMs[instance] = nowMs;
  }

  /** A segment instance takes `slots` free slots of its pool at startMs for durationMs (a span on each). */
  segmentStarted(
    instance: number,
    pool: number,
    slots: number,
    name: string,
    tenant: string,
    startMs: number,
    durationMs: number,
  ): void {
    const slot = this.takeSlot(pool);
    this.heldSlot[instance] = slot;
    if (slots > 1) {
      const extra = Array.from({ length: slots - 1 }, () => this.takeSlot(pool));
      this.heldExtra.set(instance, extra);
      for (const other of extra) this.span(name, 'segment', pool, other, startMs, durationMs, { tenant });
    }
    const queuedMs = this.queuedMs[instance] ?? startMs;
    this.queuedMs[instance] = Number.POSITIVE_INFINITY;
    if (queuedMs < startMs) {
      const tid = this.lane(pool, `pool ${pool}`, 'queue', queuedMs, startMs);
      this.span(`${name} waits`, 'pool-wait', pool, tid, queuedMs, startMs - queuedMs);
    }
    this.span(name, 'segment', pool, slot, startMs, durationMs, { tenant });
  }

  /** A segment instance finished: its pool slots are free again. */
  segmentEnded(instance: number, pool: number): void {
    const extra = this.heldExtra.get(instance);
    if (extra) {
      this.heldExtra.delete(instance);
      for (const slot of extra.reverse()) this.giveSlot(pool, slot);
    }
    this.giveSlot(pool, this.heldSlot[instance] ?? 0);
  }

  private takeSlot(pool: number): number {
    const count = (this.freeCount[pool] ?? 1) - 1;
    this.freeCount[pool] = count;
    return this.freeSlots[pool]?.[count] ?? 0;
  }

  private giveSlot(pool: number, slot: number): void {
    const count = this.freeCount[pool] ?? 0;
    const free = this.freeSlots[pool];
    if (free) free[count] = slot;
    this.freeCount[pool] = count + 1;
  }

  /** A request waited in its tenant's queue for a request slot from startMs to endMs. */
  requestWait(tenant: string, name: string, startMs: number, endMs: number): void {
    if (endMs <= startMs) return;
    const pid = this.dispatcherPid;
    const tid = this.lane(pid, `tenant ${tenant}`, `${tenant} queue`, startMs, endMs);
    this.span(name, 'request-wait', pid, tid, startMs, endMs - startMs);
  }

  private span(
    name: string,
    cat: string,
    pid: number,
    tid: number,
    startMs: number,
    durationMs: number,
    args?: Record<string, string>,
  ): void {
    const ts = startMs * 1000;
    const dur = durationMs * 1000;
    // Two literals rather than a spread: spreading gives every span a slow dictionary-shaped object.
    this.events.push(
      args ? { name, ph: 'X', cat, pid, tid, ts, dur, args } : { name, ph: 'X', cat, pid, tid, ts, dur },
    );
  }

  private lane(pid: number, group: string, label: string, startMs: number, endMs: number): number {
    let lanes = this.lanes.get(group);
    if (lanes === undefined) {
      lanes = [];
      this.lanes.set(group, lanes);
    }
    for (const lane of lanes) {
      if (lane.endMs <= startMs) {
        lane.endMs = Math.max(lane.endMs, endMs);
        return lane.tid;
      }
    }
    const tid = this.nextTid[pid] ?? 0;
    this.nextTid[pid] = tid + 1;
    this.meta('thread_name', pid, tid, `${label} ${lanes.length}`);
    lanes.push({ tid, endMs });
    return tid;
  }

  private meta(kind: 'process_name' | 'thread_name', pid: number, tid: number, name: string): void {
    this.events.push({ name: kind, ph: 'M', pid, tid, ts: 0, args: { name } });
  }
}
