import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Code, HetschedError, packageRoot, tracer } from '../common/index.js';
import {
  type HardwareFingerprint,
  type MachineProfile,
  type ModelProfile,
  machineProfileSchema,
  modelProfileSchema,
} from '../cost/index.js';

const trace = tracer('profile');

/**
 * Profile files: `<dir>/machines/<name>.json` and `<dir>/models/<machine>/<sha256 prefix>-<shapes
 * hash>.json`. Read from every directory given (the first one is where new profiles are written,
 * the others are shipped ones); validated on load; a file that does not validate is reported and
 * skipped, never trusted.
 */
export class ProfileStore {
  constructor(private readonly dirs: readonly string[]) {
    if (dirs.length === 0) throw new HetschedError(Code.InvalidArgument, 'a profile store needs a directory');
  }

  /**
   * A store that writes to `dir` and reads it first, then the profiles the package ships (the
   * analytic GPUs, the measured machines); the same folder once where they are one.
   */
  static withShipped(dir: string): ProfileStore {
    const shipped = join(packageRoot, 'profiles');
    return new ProfileStore(resolve(dir) === shipped ? [shipped] : [dir, shipped]);
  }

  get writableDir(): string {
    return this.dirs[0] ?? '.';
  }

  /** Every machine profile, measured ones first. */
  async machines(): Promise<MachineProfile[]> {
    const profiles: MachineProfile[] = [];
    for (const dir of this.dirs) {
      for (const file of await list(join(dir, 'machines'))) {
        const parsed = await readJson(join(dir, 'machines', file), machineProfileSchema);
        if (parsed && !profiles.some((profile) => profile.name === parsed.name)) profiles.push(parsed);
      }
    }
    return profiles.sort((a, b) => Number(a.source === 'analytic') - Number(b.source === 'analytic'));
  }

  /** A machine profile by name (e.g. an analytic GPU's, to plan for a machine that is not here). */
  async machine(name: string): Promise<MachineProfile | undefined> {
    return (await this.machines()).find((profile) => profile.name === name);
  }

  /** The measured profile of hardware with this exact fingerprint, if any. */
  async machineFor(fingerprint: HardwareFingerprint): Promise<MachineProfile | undefined> {
    const key = JSON.stringify(fingerprint);
    return (await this.machines()).find(
      (profile) => profile.source === 'measured' && JSON.stringify(profile.fingerprint) === key,
    );
  }

  async model(
    machine: string,
    sha256: string,
    inputShapes: Readonly<Record<string, readonly number[]>>,
  ): Promise<ModelProfile | undefined> {
    const file = modelFile(machine, sha256, inputShapes);
    const shapeKey = JSON.stringify(sortedShapes(inputShapes));
    for (const dir of this.dirs) {
      const parsed = await readJson(join(dir, file), modelProfileSchema);
      // The file name holds hash prefixes only: a copied or renamed file must not stand in for another model.
      if (
        parsed &&
        parsed.machine === machine &&
        parsed.model.sha256 === sha256 &&
        JSON.stringify(sortedShapes(parsed.model.inputShapes)) === shapeKey
      ) {
        return parsed;
      }
    }
    return undefined;
  }

  async saveMachine(profile: MachineProfile): Promise<string> {
    return writeAtomic(join(this.writableDir, 'machines', `${profile.name}.json`), profile);
  }

  async saveModel(profile: ModelProfile): Promise<string> {
    return writeAtomic(
      join(this.writableDir, modelFile(profile.machine, profile.model.sha256, profile.model.inputShapes)),
      profile,
    );
  }
}

function modelFile(
  machine: string,
  sha256: string,
  inputShapes: Readonly<Record<string, readonly number[]>>,
): string {
  const shapeKey = createHash('sha256')
    .update(JSON.stringify(sortedShapes(inputShapes)))
    .digest('hex')
    .slice(0, 8);
  return join('models', machine, `${sha256.slice(0, 16)}-${shapeKey}.json`);
}

function sortedShapes(inputShapes: Readonly<Record<string, readonly number[]>>): unknown[] {
  return Object.keys(inputShapes)
    .sort()
    .map((name) => [name, inputShapes[name]]);
}

async function list(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return [];
  }
}

async function readJson<T>(
  path: string,
  schema: {
    safeParse(value: unknown): { success: true; data: T } | { success: false; error: { message: string } };
  },
): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    trace(`skipping ${path}: ${parsed.error.message}`);
  } catch (error) {
    trace(`skipping ${path}: ${String(error)}`);
  }
  return undefined;
}

async function writeAtomic(path: string, value: unknown): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  const scratch = `${path}.tmp-${randomUUID()}`;
  try {
    await writeFile(scratch, `${JSON.stringify(value, null, 1)}\n`);
    await rename(scratch, path);
  } catch (error) {
    await rm(scratch, { force: true });
    throw error;
  }
  return path;
}
