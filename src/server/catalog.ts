import { Code, HetschedError, tracer } from '../common/index.js';
import type { ModelRecord, ModelRepository, RegisterRequest } from '../repository/index.js';
import type { Engine, ServedModel } from '../runtime/index.js';

const trace = tracer('server');

/** A registered model and its handle in the engine. */
export interface Serving {
  readonly record: ModelRecord;
  readonly served: ServedModel;
}

/**
 * Joins the repository (what is registered) with the engine (what is loaded): every registered
 * version is served, and a model being unregistered stops taking requests before its queued and
 * running ones drain, so none is lost or cut off.
 */
export class ServingCatalog {
  private readonly serving = new Map<string, Map<number, Serving>>();
  /** Versions being unregistered: hidden from new requests while they drain. */
  private readonly retiring = new Map<string, Set<number>>();

  constructor(
    private readonly repository: ModelRepository,
    private readonly engine: Engine,
  ) {
    for (const record of repository.list()) this.add(record);
  }

  /** The model version (0 = latest) to run a request on. */
  resolve(name: string, version: number): Serving {
    if (name === '') throw new HetschedError(Code.InvalidArgument, 'model name is empty');
    const record = this.repository.get(name, version);
    const entry = this.serving.get(name)?.get(record.version);
    if (!entry || this.retiring.get(name)?.has(record.version)) {
      throw new HetschedError(
        Code.NotFound,
        `model '${name}' version ${record.version} is being unregistered`,
      );
    }
    return entry;
  }

  records(tenant?: string): ModelRecord[] {
    return this.repository.list(tenant);
  }

  record(name: string, version: number): ModelRecord {
    return this.repository.get(name, version);
  }

  async register(request: RegisterRequest): Promise<ModelRecord> {
    const record = await this.repository.register(request);
    this.add(record);
    return record;
  }

  async unregister(name: string, version: number): Promise<ModelRecord[]> {
    const targets =
      version === 0
        ? this.repository.list().filter((record) => record.name === name)
        : [this.repository.get(name, version)];
    if (targets.length === 0) throw new HetschedError(Code.NotFound, `model '${name}' is not registered`);
    const hidden = this.retiring.get(name) ?? new Set<number>();
    this.retiring.set(name, hidden);
    for (const record of targets) hidden.add(record.version);
    try {
      for (const record of targets) {
        const entry = this.serving.get(name)?.get(record.version);
        if (entry) await this.engine.unload(entry.served);
      }
      const removed = await this.repository.unregister(name, version);
      for (const record of removed) this.serving.get(name)?.delete(record.version);
      if (this.serving.get(name)?.size === 0) this.serving.delete(name);
      trace(`unregistered ${removed.map((record) => `${record.name}@${record.version}`).join(', ')}`);
      return removed;
    } finally {
      for (const record of targets) hidden.delete(record.version);
      if (hidden.size === 0) this.retiring.delete(name);
    }
  }

  private add(record: ModelRecord): void {
    const served = this.engine.load({
      key: `${record.name}@${record.version}`,
      path: record.path,
      sha256: record.sha256,
      inputs: record.inputs,
      outputs: record.outputs,
      latencySloMs: record.qos.latencySloMs,
    });
    const versions = this.serving.get(record.name) ?? new Map<number, Serving>();
    versions.set(record.version, { record, served });
    this.serving.set(record.name, versions);
  }
}
