import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, realpath, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Code, HetschedError, tracer } from '../common/index.js';
import type { OnnxModelInfo } from '../onnx/index.js';
import type { TensorSpec } from '../tensor/index.js';
import { publishDir, replaceFile, retireDir, TEMP_PREFIX, TRASH_PREFIX } from './atomic.js';
import { type ModelRecord, type StoredConfig, storedConfigSchema } from './config.js';
import { checkName, resolveVersion } from './names.js';
import { type Qos, resolveQos } from './qos.js';
import { applyInputShapes } from './signature.js';

const trace = tracer('repository');

export const MODEL_FILE = 'model.onnx';
export const CONFIG_FILE = 'config.json';
/** The applied plan of a model version (scheduling IR JSON); absent when it runs whole on the CPU. */
export const PLAN_FILE = 'plan.json';

/** What a caller asks to register; `source` is the ONNX bytes or a path relative to the repository root. */
export interface RegisterRequest {
  readonly name: string;
  /** 0 means 1. */
  readonly version: number;
  /** '' means the model name. */
  readonly tenant: string;
  readonly qos: Partial<Qos> | undefined;
  readonly inputShapes: ReadonlyMap<string, readonly number[]>;
  readonly source: { readonly bytes: Uint8Array } | { readonly path: string };
}

/** Result of validating model bytes (done off the main thread by the runtime). */
export interface Inspection {
  readonly info: OnnxModelInfo;
  readonly sha256: string;
  readonly sizeBytes: number;
}

export type Inspector = (bytes: Uint8Array) => Promise<Inspection>;

export interface RepositoryOptions {
  readonly root: string;
  readonly maxModelBytes: number;
  readonly inspect: Inspector;
  readonly now?: () => number;
}

/** A version folder the scan could not load, and why; reported, never deleted. */
export interface ScanProblem {
  readonly path: string;
  readonly reason: string;
}

/**
 * The model repository on disk, Triton-style: `<root>/<model>/<version>/{model.onnx,config.json}`.
 * It is the one source of truth for registrations: the in-memory index mirrors the disk, every
 * write publishes a whole version folder with one rename, and a restart rebuilds the index from
 * the folders.
 */
export class ModelRepository {
  private readonly models = new Map<string, Map<number, ModelRecord>>();
  /** Per-name chains serialising register/unregister of one model (different names run in parallel). */
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly now: () => number;

  private constructor(
    readonly root: string,
    private readonly options: RepositoryOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Opens (creating if needed) a repository, removes crash leftovers, and loads every valid version. */
  static async open(
    options: RepositoryOptions,
  ): Promise<{ repository: ModelRepository; problems: ScanProblem[] }> {
    await mkdir(options.root, { recursive: true });
    const root = await realpath(options.root);
    const repository = new ModelRepository(root, options);
    const problems = await repository.scan();
    return { repository, problems };
  }

  list(tenant?: string): ModelRecord[] {
    const records: ModelRecord[] = [];
    for (const name of [...this.models.keys()].sort()) {
      const versions = this.models.get(name) ?? new Map<number, ModelRecord>();
      for (const version of [...versions.keys()].sort((a, b) => a - b)) {
        const record = versions.get(version);
        if (record && (tenant === undefined || tenant === '' || record.tenant === tenant))
          records.push(record);
      }
    }
    return records;
  }

  /** The record of a version (0 = latest); NOT_FOUND naming what exists. */
  get(name: string, version: number): ModelRecord {
    const versions = this.models.get(name);
    if (!versions || versions.size === 0) {
      throw new HetschedError(Code.NotFound, `model '${name}' is not registered`);
    }
    const wanted = version === 0 ? Math.max(...versions.keys()) : version;
    const record = versions.get(wanted);
    if (!record) {
      throw new HetschedError(
        Code.NotFound,
        `model '${name}' has no version ${version} (versions: ${[...versions.keys()].sort((a, b) => a - b).join(', ')})`,
      );
    }
    return record;
  }

  /** Stores (or, with undefined, removes) the plan applied to a model version; survives restarts. */
  savePlan(name: string, version: number, plan: unknown): Promise<void> {
    return this.locked(name, async () => {
      const record = this.get(name, version);
      const path = join(this.root, record.name, String(record.version), PLAN_FILE);
      if (plan === undefined) await rm(path, { force: true });
      else await replaceFile(path, `${JSON.stringify(plan, null, 2)}\n`);
    });
  }

  /** The stored plan of a model version (parsed JSON), or undefined when none is. */
  async loadPlan(record: ModelRecord): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(join(this.root, record.name, String(record.version), PLAN_FILE), 'utf8');
    } catch {
      return undefined;
    }
    return JSON.parse(text);
  }

  async register(request: RegisterRequest): Promise<ModelRecord> {
    // async: a bad name rejects the returned promise rather than throwing at the call.
    checkName(request.name, 'model');
    return this.locked(request.name, () => this.registerLocked(request));
  }

  /**
   * Deletes one version (or all, for version 0) from disk and the index. The caller stops traffic
   * to the model first; the repository only owns the files.
   */
  unregister(name: string, version: number): Promise<ModelRecord[]> {
    return this.locked(name, async () => {
      const targets =
        version === 0 ? this.list().filter((record) => record.name === name) : [this.get(name, version)];
      if (targets.length === 0) throw new HetschedError(Code.NotFound, `model '${name}' is not registered`);
      for (const record of targets) {
        await retireDir(this.root, join(this.root, record.name, String(record.version)));
        this.models.get(name)?.delete(record.version);
      }
      if (this.models.get(name)?.size === 0) {
        this.models.delete(name);
        // rmdir, not rm: rm refuses every folder unless recursive, and this one must only go if empty.
        await rmdir(join(this.root, name)).catch(() => {
          // A folder the user put other files in stays; it holds no registration.
        });
      }
      return targets;
    });
  }

  private async registerLocked(request: RegisterRequest): Promise<ModelRecord> {
    const version = resolveVersion(request.version);
    const tenant = request.tenant === '' ? request.name : request.tenant;
    checkName(tenant, 'tenant');
    const qos = resolveQos(request.qos);
    if (this.models.get(request.name)?.has(version)) {
      throw new HetschedError(
        Code.AlreadyExists,
        `model '${request.name}' version ${version} is already registered; unregister it first or register another version`,
      );
    }
    const bytes =
      'bytes' in request.source ? request.source.bytes : await this.readInside(request.source.path);
    this.checkSize(bytes.byteLength);
    const inspection = await this.options.inspect(bytes);
    const inputs = applyInputShapes(inspection.info.inputs, request.inputShapes);
    const config: StoredConfig = {
      schemaVersion: 1,
      name: request.name,
      version,
      tenant,
      qos,
      inputShapes: Object.fromEntries(request.inputShapes),
      registeredAtUnixMs: this.now(),
      model: {
        sha256: inspection.sha256,
        sizeBytes: inspection.sizeBytes,
        irVersion: inspection.info.irVersion,
        opsets: Object.fromEntries(inspection.info.opsets),
        producer: inspection.info.producer,
        nodeCount: inspection.info.nodeCount,
        inputs: inspection.info.inputs,
        outputs: inspection.info.outputs,
      },
    };
    const folder = join(this.root, request.name, String(version));
    if (await exists(folder)) {
      throw new HetschedError(
        Code.AlreadyExists,
        `the repository already has a folder ${relative(this.root, folder)} that is not a registered model; move it away first`,
      );
    }
    await publishDir(
      this.root,
      folder,
      new Map<string, Uint8Array | string>([
        [MODEL_FILE, bytes],
        [CONFIG_FILE, `${JSON.stringify(config, null, 2)}\n`],
      ]),
    );
    const record = toRecord(config, join(folder, MODEL_FILE), inputs);
    this.index(record);
    trace(
      `registered ${record.name}@${record.version} (${record.sizeBytes} bytes, sha256 ${record.sha256.slice(0, 12)})`,
    );
    return record;
  }

  /** Reads a file named relative to the root, refusing any path (or symlink) that leads outside it. */
  private async readInside(path: string): Promise<Uint8Array> {
    if (path === '' || isAbsolute(path)) {
      throw new HetschedError(
        Code.InvalidArgument,
        `model_path must be relative to the model repository root, got '${path}'`,
      );
    }
    const candidate = resolve(this.root, path);
    let real: string;
    try {
      real = await realpath(candidate);
    } catch {
      // Judge a missing file by where its deepest existing folder really is: answering NOT_FOUND
      // under a symlink to an outside folder would reveal which files exist out there.
      const ancestor = await realpathOfExistingAncestor(candidate);
      if (ancestor !== this.root && !isInside(this.root, ancestor)) throw escapes(path);
      throw new HetschedError(Code.NotFound, `model_path '${path}' does not exist in the model repository`);
    }
    if (!isInside(this.root, real)) throw escapes(path);
    const info = await stat(real);
    if (!info.isFile()) throw new HetschedError(Code.InvalidArgument, `model_path '${path}' is not a file`);
    this.checkSize(info.size);
    return readFile(real);
  }

  private checkSize(sizeBytes: number): void {
    if (sizeBytes > this.options.maxModelBytes) {
      throw new HetschedError(
        Code.ResourceExhausted,
        `the model is ${sizeBytes} bytes, over the server's limit of ${this.options.maxModelBytes} (--max-model-bytes)`,
      );
    }
    if (sizeBytes === 0) throw new HetschedError(Code.InvalidArgument, 'the model is empty (0 bytes)');
  }

  private index(record: ModelRecord): void {
    const versions = this.models.get(record.name) ?? new Map<number, ModelRecord>();
    versions.set(record.version, record);
    this.models.set(record.name, versions);
  }

  private async scan(): Promise<ScanProblem[]> {
    const problems: ScanProblem[] = [];
    for (const entry of await readdir(this.root, { withFileTypes: true })) {
      if (entry.name.startsWith(TEMP_PREFIX) || entry.name.startsWith(TRASH_PREFIX)) {
        // Left by a crash mid-write or mid-delete: never a published registration.
        await rm(join(this.root, entry.name), { recursive: true, force: true });
        continue;
      }
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      for (const versionEntry of await readdir(join(this.root, entry.name), { withFileTypes: true })) {
        if (!versionEntry.isDirectory() || !/^[1-9]\d*$/.test(versionEntry.name)) continue;
        const folder = join(this.root, entry.name, versionEntry.name);
        // A crash while replacing plan.json leaves its scratch copy beside it.
        for (const file of await readdir(folder)) {
          if (file.includes(TEMP_PREFIX)) await rm(join(folder, file), { force: true });
        }
        try {
          this.index(await loadVersion(folder, entry.name, Number(versionEntry.name)));
        } catch (error) {
          problems.push({ path: folder, reason: error instanceof Error ? error.message : String(error) });
        }
      }
    }
    return problems;
  }

  private async locked<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(name) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.locks.set(name, settled);
    try {
      return await next;
    } finally {
      if (this.locks.get(name) === settled) this.locks.delete(name);
    }
  }
}

async function loadVersion(folder: string, name: string, version: number): Promise<ModelRecord> {
  let raw: string;
  try {
    raw = await readFile(join(folder, CONFIG_FILE), 'utf8');
  } catch {
    throw new Error(`no ${CONFIG_FILE}: not registered (register the file with RegisterModel model_path)`);
  }
  const parsed = storedConfigSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new Error(`invalid ${CONFIG_FILE}: ${parsed.error.message}`);
  const config = parsed.data;
  if (config.name !== name || config.version !== version) {
    throw new Error(
      `${CONFIG_FILE} describes ${config.name}@${config.version}, not the folder's ${name}@${version}`,
    );
  }
  const modelPath = join(folder, MODEL_FILE);
  const bytes = await readFile(modelPath);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== config.model.sha256) {
    throw new Error(`${MODEL_FILE} has sha256 ${sha256}, but ${CONFIG_FILE} records ${config.model.sha256}`);
  }
  return toRecord(
    config,
    modelPath,
    applyInputShapes(config.model.inputs, new Map(Object.entries(config.inputShapes))),
  );
}

function toRecord(config: StoredConfig, path: string, inputs: readonly TensorSpec[]): ModelRecord {
  return {
    name: config.name,
    version: config.version,
    tenant: config.tenant,
    qos: config.qos,
    inputs,
    outputs: config.model.outputs,
    declaredInputs: config.model.inputs,
    inputShapes: new Map(Object.entries(config.inputShapes)),
    sha256: config.model.sha256,
    sizeBytes: config.model.sizeBytes,
    irVersion: config.model.irVersion,
    opsets: new Map(Object.entries(config.model.opsets)),
    producer: config.model.producer,
    nodeCount: config.model.nodeCount,
    registeredAtUnixMs: config.registeredAtUnixMs,
    path,
  };
}

async function realpathOfExistingAncestor(path: string): Promise<string> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      return await realpath(dir);
    } catch {
      if (dirname(dir) === dir) return dir;
    }
  }
}

function isInside(root: string, path: string): boolean {
  return path.startsWith(root + sep);
}

function escapes(path: string): HetschedError {
  return new HetschedError(Code.PermissionDenied, `model_path '${path}' leads outside the model repository`);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
