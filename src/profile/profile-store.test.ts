import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Code, HetschedError } from '../common/index.js';
import {
  type HardwareFingerprint,
  type MachineProfile,
  type ModelProfile,
  machineProfileSchema,
  modelProfileSchema,
} from '../cost/index.js';
import { ProfileStore } from './profile-store.js';

const FINGERPRINT: HardwareFingerprint = {
  cpuModel: 'Test CPU',
  cpuCores: 8,
  arch: 'x64',
  os: 'linux 6.1',
  onnxruntime: '1.30.0',
  gpu: null,
};

function machine(name: string, source: 'measured' | 'analytic', fingerprint = FINGERPRINT): MachineProfile {
  return machineProfileSchema.parse({
    kind: 'hetsched.machine-profile',
    version: 1,
    source,
    name,
    fingerprint,
    cpu: {
      threads: 4,
      segmentLaunchMs: 0.02,
      handoff: { fixedMs: 0.01, msPerMiB: 0.1 },
      interference: { default: [1, 1.2] },
      gflopsPerCore: 40,
      memoryGBps: 20,
      cores: 8,
    },
    gpu: null,
  });
}

const SHA = `${'c0ffee'.repeat(10)}beef`;
const SHAPES = { input: [1, 512], state: [2, 1, 128] };

function modelProfile(
  sha256 = SHA,
  inputShapes: Record<string, number[]> = SHAPES,
  medianMs = 1.5,
): ModelProfile {
  const t = { medianMs, p10Ms: medianMs, p90Ms: medianMs, runs: 3 };
  return modelProfileSchema.parse({
    kind: 'hetsched.model-profile',
    version: 1,
    source: 'measured',
    machine: 'box',
    fingerprint: FINGERPRINT,
    model: { sha256, inputShapes },
    cpu: { '1': { ops: { conv: t }, whole: t, sumOfOpsMs: medianMs, splitRatio: 1 } },
    gpu: null,
  });
}

let root: string;
let dir: string;
let shipped: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hetsched-profile-store-'));
  dir = join(root, 'local');
  shipped = join(root, 'shipped');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(path, join(entry.parentPath, entry.name)))
    .sort();
}

describe('ProfileStore', () => {
  it('needs a directory', () => {
    let error: unknown;
    try {
      new ProfileStore([]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HetschedError);
    expect((error as HetschedError).code).toBe(Code.InvalidArgument);
  });

  it('writes to the first directory', () => {
    expect(new ProfileStore([dir, shipped]).writableDir).toBe(dir);
  });

  it('finds nothing in directories that do not exist', async () => {
    const store = new ProfileStore([join(root, 'nowhere')]);
    expect(await store.machines()).toEqual([]);
    expect(await store.model('box', SHA, SHAPES)).toBeUndefined();
  });

  it('round-trips a machine profile, leaving no scratch files', async () => {
    const store = new ProfileStore([dir]);
    const profile = machine('box', 'measured');
    const path = await store.saveMachine(profile);
    expect(path).toBe(join(dir, 'machines', 'box.json'));
    expect(await store.machine('box')).toEqual(profile);
    expect(await store.machine('other')).toBeUndefined();
    expect(await filesUnder(dir)).toEqual([join('machines', 'box.json')]);
    // Saving again replaces it.
    const updated = { ...profile, notes: ['re-measured'] };
    await store.saveMachine(updated);
    expect(await store.machine('box')).toEqual(updated);
  });

  it('finds the measured profile of exactly this hardware, and none on any difference', async () => {
    const store = new ProfileStore([dir]);
    await store.saveMachine(machine('box', 'measured'));
    await store.saveMachine(machine('spec-sheet', 'analytic', { ...FINGERPRINT, cpuModel: 'Spec CPU' }));
    expect((await store.machineFor(FINGERPRINT))?.name).toBe('box');
    // A different onnxruntime, core count or GPU: measure again.
    expect(await store.machineFor({ ...FINGERPRINT, onnxruntime: '1.31.0' })).toBeUndefined();
    expect(await store.machineFor({ ...FINGERPRINT, cpuCores: 16 })).toBeUndefined();
    expect(
      await store.machineFor({
        ...FINGERPRINT,
        gpu: { provider: 'cuda', adapter: 'CUDA device', software: false },
      }),
    ).toBeUndefined();
    // An analytic profile is never taken for measured hardware, even with the same fingerprint.
    expect(await store.machineFor({ ...FINGERPRINT, cpuModel: 'Spec CPU' })).toBeUndefined();
  });

  it('lists measured machines before analytic ones, the writable directory winning a name', async () => {
    const local = new ProfileStore([dir]);
    const other = new ProfileStore([shipped]);
    await other.saveMachine(machine('a-analytic', 'analytic'));
    await other.saveMachine(machine('shared', 'measured', { ...FINGERPRINT, cpuCores: 2 }));
    await local.saveMachine(machine('shared', 'measured'));
    await local.saveMachine(machine('z-measured', 'measured'));
    const both = new ProfileStore([dir, shipped]);
    const machines = await both.machines();
    expect(machines.map(({ name, source }) => [name, source])).toEqual([
      ['shared', 'measured'],
      ['z-measured', 'measured'],
      ['a-analytic', 'analytic'],
    ]);
    expect((await both.machine('shared'))?.fingerprint.cpuCores).toBe(8);
  });

  it('round-trips a model profile keyed by machine, model hash and input shapes', async () => {
    const store = new ProfileStore([dir]);
    const profile = modelProfile();
    const path = await store.saveModel(profile);
    expect(relative(dir, path)).toMatch(new RegExp(`^models/box/${SHA.slice(0, 16)}-[0-9a-f]{8}\\.json$`));
    expect(await store.model('box', SHA, SHAPES)).toEqual(profile);
    // Input order does not matter; the shapes do.
    expect(await store.model('box', SHA, { state: [2, 1, 128], input: [1, 512] })).toEqual(profile);
  });

  it('signals a re-measure (no profile) for another model, other shapes or another machine', async () => {
    const store = new ProfileStore([dir]);
    await store.saveModel(modelProfile());
    expect(await store.model('box', `ff${SHA.slice(2)}`, SHAPES)).toBeUndefined();
    expect(await store.model('box', SHA, { ...SHAPES, input: [1, 1024] })).toBeUndefined();
    expect(await store.model('box', SHA, { input: [1, 512] })).toBeUndefined();
    expect(await store.model('other-box', SHA, SHAPES)).toBeUndefined();
  });

  it('does not trust a file name: a profile copied over another model’s file is not that model’s', async () => {
    const store = new ProfileStore([dir]);
    const other = `${SHA.slice(0, 16)}${'0'.repeat(SHA.length - 16)}`;
    const path = await store.saveModel(modelProfile());
    // Same 16-character prefix, so the same file name: only the content tells them apart.
    expect(await store.model('box', other, SHAPES)).toBeUndefined();
    await writeFile(path, JSON.stringify({ ...modelProfile(), machine: 'elsewhere' }));
    expect(await store.model('box', SHA, SHAPES)).toBeUndefined();
  });

  it('prefers the writable directory’s model profile, falling back to shipped ones', async () => {
    await new ProfileStore([shipped]).saveModel(modelProfile(SHA, SHAPES, 9));
    const both = new ProfileStore([dir, shipped]);
    expect((await both.model('box', SHA, SHAPES))?.cpu['1']?.whole.medianMs).toBe(9);
    await both.saveModel(modelProfile(SHA, SHAPES, 2));
    expect((await both.model('box', SHA, SHAPES))?.cpu['1']?.whole.medianMs).toBe(2);
    // The shipped file is untouched.
    expect((await new ProfileStore([shipped]).model('box', SHA, SHAPES))?.cpu['1']?.whole.medianMs).toBe(9);
  });

  it('skips files that do not validate: another version, bad JSON, wrong kind', async () => {
    const store = new ProfileStore([dir, shipped]);
    const path = await store.saveModel(modelProfile());
    const text = await readFile(path, 'utf8');
    await writeFile(path, JSON.stringify({ ...JSON.parse(text), version: 2 }));
    expect(await store.model('box', SHA, SHAPES)).toBeUndefined();
    // An invalid file does not hide a valid one in a later directory.
    await new ProfileStore([shipped]).saveModel(modelProfile(SHA, SHAPES, 4));
    expect((await store.model('box', SHA, SHAPES))?.cpu['1']?.whole.medianMs).toBe(4);

    await store.saveMachine(machine('good', 'measured'));
    const machines = join(dir, 'machines');
    await writeFile(
      join(machines, 'newer.json'),
      JSON.stringify({ ...machine('newer', 'measured'), version: 2 }),
    );
    await writeFile(join(machines, 'broken.json'), '{"kind": "hetsched.machine-profile",');
    await writeFile(join(machines, 'model.json'), JSON.stringify(modelProfile()));
    await writeFile(join(machines, 'notes.txt'), 'not a profile');
    await mkdir(join(machines, 'folder.json'));
    expect((await store.machines()).map(({ name }) => name)).toEqual(['good']);
  });
});

describe('ProfileStore.withShipped', () => {
  it('writes to the folder given and reads the shipped profiles after it', async () => {
    const store = ProfileStore.withShipped(dir);
    expect(store.writableDir).toBe(dir);
    expect((await store.machine('nvidia-h100-sxm'))?.source).toBe('analytic');
    await store.saveMachine(machine('box', 'measured'));
    expect((await store.machine('box'))?.source).toBe('measured');
    expect(await readdir(join(dir, 'machines'))).toEqual(['box.json']);
  });
});
