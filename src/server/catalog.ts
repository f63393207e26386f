import { Code, HetschedError, tracer } from '../common/index.js';
import type { GraphIR } from '../graph/index.js';
import type { Plan } from '../partition/index.js';
import type { ModelRecord, ModelRepository, RegisterRequest } from '../repository/index.js';
import {
  type Engine,
  type PlacementRequest,
  type PlanWorkloadOptions,
  planWorkload,
  type SearchReport,
  type ServedModel,
} from '../runtime/index.js';

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

  /** Resolves a placement, makes it the model's active plan and stores it (survives restarts). */
  async applyPlan(name: string, version: number, request: PlacementRequest): Promise<Plan> {
    const { record, served } = this.resolve(name, version);
    const plan = await this.engine.applyPlan(served, request);
    await this.repository.savePlan(record.name, record.version, this.engine.activePlan(served));
    return plan;
  }

  /** The active plan, or the all-cpu plan when none is applied. */
  async activePlan(name: string, version: number): Promise<{ plan: Plan; applied: boolean }> {
    const { served } = this.resolve(name, version);
    const active = this.engine.activePlan(served);
    if (active) return { plan: active, applied: true };
    return { plan: await this.engine.plan(served, { spec: 'all-cpu' }), applied: false };
  }

  /**
   * Searches plans for several registered models together (see planWorkload), with each model's
   * registered QoS, and with `apply` makes them active. An unknown request rate counts as 1/s.
   */
  async searchPlans(
    refs: readonly { readonly name: string; readonly version: number }[],
    options: PlanWorkloadOptions,
    apply: boolean,
  ): Promise<{ report: SearchReport; tenants: readonly ModelRecord[] }> {
    const chosen = refs.length > 0 ? refs : this.latestVersions();
    if (chosen.length === 0) throw new HetschedError(Code.FailedPrecondition, 'no model is registered');
    const entries = chosen.map((ref) => this.resolve(ref.name, ref.version));
    const seen = new Set<string>();
    for (const { record } of entries) {
      const key = `${record.name}@${record.version}`;
      if (seen.has(key)) throw new HetschedError(Code.InvalidArgument, `${key} is listed twice`);
      seen.add(key);
    }
    const report = await planWorkload(
      this.engine,
      entries.map(({ record, served }) => ({
        name: `${record.name}@${record.version}`,
        served,
        sloMs: record.qos.latencySloMs,
        weight: record.qos.weight,
        ratePerS: record.qos.requestRatePerS > 0 ? record.qos.requestRatePerS : 1,
      })),
      options,
    );
    if (apply) {
      for (const { record } of entries) {
        const plan = report.plans[`${record.name}@${record.version}`];
        if (plan) await this.applyPlan(record.name, record.version, { plan });
      }
    }
    return { report, tenants: entries.map((entry) => entry.record) };
  }

  private latestVersions(): { name: string; version: number }[] {
    const latest = new Map<string, number>();
    for (const record of this.repository.list()) {
      latest.set(record.name, Math.max(latest.get(record.name) ?? 0, record.version));
    }
    return [...latest].map(([name, version]) => ({ name, version }));
  }

  /** What a placement would do, with the model's graph to describe it by. */
  async explain(
    name: string,
    version: number,
    request: PlacementRequest,
  ): Promise<{ plan: Plan; graph: GraphIR }> {
    const { served } = this.resolve(name, version);
    const plan = await this.engine.plan(served, request);
    const { graph } = await this.engine.graph(served);
    return { plan, graph };
  }

  /**
   * Re-applies the plans stored in the repository. In the background: models serve whole on the
   * CPU until their plan is ready; a stored plan that no longer fits is reported, not fatal.
   */
  async restorePlans(report: (record: ModelRecord, error: unknown) => void): Promise<void> {
    await Promise.all(
      this.repository.list().map(async (record) => {
        try {
          const stored = await this.repository.loadPlan(record);
          const entry = this.serving.get(record.name)?.get(record.version);
          if (stored !== undefined && entry) await this.engine.applyPlan(entry.served, { plan: stored });
        } catch (error) {
          report(record, error);
        }
      }),
    );
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
