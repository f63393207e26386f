import type { WorkerIdle } from './profile-types.js';

/**
 * The CPU workers' waits on the main thread after a segment run (machine.cpu.workerIdle): a fixed
 * part and a part per MiB handed in and out, measured at a few run lengths and interpolated
 * between them (held beyond the first and last). On the 2-vCPU host short runs wait longest.
 */

const MiB = 1 << 20;

/** The wait after a run of `runMs` handing `handedBytes` in and out, in ms; 0 where not measured. */
export function workerWaitMs(idle: WorkerIdle, runMs: number, handedBytes: number): number {
  const { fixedMs, msPerMiB } = partsAt(idle, runMs);
  return fixedMs + (msPerMiB * handedBytes) / MiB;
}

/**
 * The least of each part over every run from 0 to `maxRunMs` ms: each is piecewise linear in the
 * run's length, so its least is at an end of that range or at a measured point inside it. What a
 * bound may charge a segment that runs no longer. Both 0 where nothing was measured.
 */
export function workerWaitFloors(idle: WorkerIdle, maxRunMs: number): { fixedMs: number; msPerMiB: number } {
  if (idle.points.length === 0) return { fixedMs: 0, msPerMiB: 0 };
  const runs = [0, ...idle.points.map((point) => point.runMs).filter((runMs) => runMs <= maxRunMs)];
  if (Number.isFinite(maxRunMs)) runs.push(maxRunMs);
  const parts = runs.map((runMs) => partsAt(idle, runMs));
  return {
    fixedMs: Math.min(...parts.map((part) => part.fixedMs)),
    msPerMiB: Math.min(...parts.map((part) => part.msPerMiB)),
  };
}

/** Both parts after a run of `runMs`, interpolated between the measured points. */
function partsAt(idle: WorkerIdle, runMs: number): { fixedMs: number; msPerMiB: number } {
  const { points } = idle;
  const first = points[0];
  if (!first) return { fixedMs: 0, msPerMiB: 0 };
  let fixedMs = first.fixedMs;
  let msPerMiB = first.msPerMiB;
  for (let k = 1; k < points.length; k++) {
    const low = points[k - 1] ?? first;
    const high = points[k] ?? first;
    if (runMs <= low.runMs) break;
    const weight = high.runMs > low.runMs ? Math.min(1, (runMs - low.runMs) / (high.runMs - low.runMs)) : 1;
    fixedMs = low.fixedMs + weight * (high.fixedMs - low.fixedMs);
    msPerMiB = low.msPerMiB + weight * (high.msPerMiB - low.msPerMiB);
  }
  return { fixedMs, msPerMiB };
}
