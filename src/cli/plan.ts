import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Code, HetschedError, packageRoot } from '../common/index.js';
import { formatShare, isGpu, type Plan } from '../partition/index.js';
import { applyVulkanEnvironment, detectGpu, type GpuPreference, ProfileStore } from '../profile/index.js';
import { planWorkload, type SearchReport, type WorkloadTenant } from '../runtime/index.js';
import {
  type ObjectiveKind,
  type PolicyWeights,
  policyFromJson,
  type TenantPrediction,
} from '../search/index.js';
import { machineEngine, modelSources } from './local-model.js';
import { gpuOption } from './placement.js';

interface PlanFlags {
  models: string;
  inputs?: string;
  sloMs: string;
  weights: string;
  rates: string;
  objective: ObjectiveKind;
  seed: number;
  profile?: string;
  allowSoftwareGpu: boolean;
  /** Commander's negated flag: false with --no-thread-budgets. */
  threadBudgets: boolean;
  gpu: GpuPreference;
  profiles: string;
  measure: boolean;
  runs: number;
  rlEpisodes?: number;
  refineEvaluations?: number;
  warmStart?: string;
  out?: string;
  json: boolean;
}

/** `hetsched plan`: where every operator of several tenants should run, searched and explained. */
export function planCommand(program: Command): void {
  program
    .command('plan')
    .description(
      'search where every operator of several models should run together (two-phase search), against baselines and bounds',
    )
    .requiredOption('--models <list>', 'catalog ids or ONNX files, comma-separated (one tenant each)')
    .option(
      '--inputs <list>',
      'an inputs file per ONNX file (as for infer), comma-separated; catalog models use their examples',
    )
    .option('--slo-ms <list>', 'latency SLO per tenant (one value for all)', '100')
    .option('--weights <list>', 'weight per tenant (one value for all)', '1')
    .option('--rates <list>', 'expected requests/s per tenant (one value for all)', '10')
    .option('--objective <kind>', 'throughput (within every SLO) or latency', 'throughput')
    .option('--seed <n>', 'seeds the search: the same inputs and seed give the same plan', intArg, 1)
    .option('--profile <machine>', 'plan for this machine profile’s GPU (e.g. nvidia-h100-sxm) with this CPU')
    .option('--allow-software-gpu', 'plan on a software GPU (SwiftShader): it shares the CPU’s cores', false)
    .option(
      '--no-thread-budgets',
      'no wider CPU thread budgets: every CPU segment at the server’s intra-op threads',
    )
    .addOption(gpuOption())
    .option('--profiles <dir>', 'where profiles are read and written', join(packageRoot, 'profiles'))
    .option('--measure', 'measure what has no profile yet (the machine, a model) instead of failing', false)
    .option('--runs <n>', 'measured runs per configuration with --measure', intArg, 20)
    .option('--rl-episodes <n>', 'phase 1 (reinforcement learning over blocks) episodes', intArg)
    .option('--refine-evaluations <n>', 'phase 2 (operator-level refinement) evaluations', intArg)
    .option('--warm-start <file>', 'a report from an earlier plan: its policy starts phase 1')
    .option('--out <dir>', 'write one plan file per tenant (for ApplyPlan, infer and explain)')
    .option('--json', 'print the whole report as JSON', false)
    .action(async (flags: PlanFlags) => {
      if (flags.objective !== 'throughput' && flags.objective !== 'latency') {
        throw new HetschedError(
          Code.InvalidArgument,
          `--objective must be throughput or latency, got ${flags.objective}`,
        );
      }
      const names = flags.models
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '');
      if (names.length === 0) throw new HetschedError(Code.InvalidArgument, '--models names no model');
      const qos = {
        sloMs: perTenant('--slo-ms', flags.sloMs, names.length),
        weights: perTenant('--weights', flags.weights, names.length),
        rates: perTenant('--rates', flags.rates, names.length),
      };
      const warmStart = flags.warmStart ? await readPolicy(flags.warmStart) : undefined;
      applyVulkanEnvironment();
      const gpu = await detectGpu({ preferred: flags.gpu });
      process.stderr.write(`gpu: ${gpu.detail}\n`);
      const engine = machineEngine(gpu);
      try {
        const tenants: WorkloadTenant[] = [];
        const sources = await modelSources(names, flags.inputs);
        for (const [index, source] of sources.entries()) {
          const served = await engine.loadFile(source.path, source.name);
          // The first request is the model's sample: exact shapes for its graph and profile.
          if (source.feeds) await engine.infer(served, source.feeds);
          tenants.push({
            name: source.name,
            served,
            sloMs: qos.sloMs[index] ?? 100,
            weight: qos.weights[index] ?? 1,
            ratePerS: qos.rates[index] ?? 10,
          });
        }
        const report = await planWorkload(engine, tenants, {
          store: ProfileStore.withShipped(flags.profiles),
          objective: flags.objective,
          seed: flags.seed,
          ...(flags.profile && { gpuProfile: flags.profile }),
          allowSoftwareGpu: flags.allowSoftwareGpu,
          threadBudgets: flags.threadBudgets,
          measureMissing: flags.measure,
          runs: flags.runs,
          ...(flags.rlEpisodes !== undefined && { rlEpisodes: flags.rlEpisodes }),
          ...(flags.refineEvaluations !== undefined && { refineEvaluations: flags.refineEvaluations }),
          ...(warmStart && { warmStart }),
        });
        if (flags.out) await writePlans(flags.out, report);
        process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : formatReport(report));
      } finally {
        await engine.close();
      }
    });
}

function intArg(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) {
    throw new HetschedError(Code.InvalidArgument, `expected a non-negative integer, got '${value}'`);
  }
  return parsed;
}

/** A comma list with one value per tenant, or one value for all. */
function perTenant(flag: string, text: string, tenants: number): number[] {
  const values = text.split(',').map((value) => Number(value.trim()));
  if (values.some((value) => !(Number.isFinite(value) && value > 0))) {
    throw new HetschedError(Code.InvalidArgument, `${flag} must hold positive numbers, got '${text}'`);
  }
  if (values.length === 1) return new Array<number>(tenants).fill(values[0] ?? 0);
  if (values.length !== tenants) {
    throw new HetschedError(
      Code.InvalidArgument,
      `${flag} has ${values.length} values for ${tenants} models`,
    );
  }
  return values;
}

async function readPolicy(path: string): Promise<PolicyWeights> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new HetschedError(Code.NotFound, `cannot read --warm-start ${path}: ${(error as Error).message}`);
  }
  return policyFromJson(text, `--warm-start ${path}`);
}

async function writePlans(dir: string, report: SearchReport): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [tenant, plan] of Object.entries(report.plans)) {
    const file = join(dir, `${tenant.replace(/[^A-Za-z0-9._-]/g, '_')}.plan.json`);
    await writeFile(file, `${JSON.stringify(plan, null, 2)}\n`);
    process.stderr.write(`wrote ${file}\n`);
  }
}

/** How many of a plan's segments run on a GPU, and how many with a CPU thread budget (and how wide). */
export function whereSegmentsRun(plan: Plan): string {
  const onGpu = plan.segments.filter((segment) => isGpu(segment.processor)).length;
  const widths = plan.segments.flatMap((segment) => (segment.threads === undefined ? [] : [segment.threads]));
  const budgets =
    widths.length === 0
      ? ''
      : `, ${widths.length} with a thread budget of ${[...new Set(widths)].sort((a, b) => a - b).join('/')} threads`;
  return `${onGpu} on the GPU${budgets}`;
}

/**
 * A tenant's predicted line of the summary. A split tenant has two, its plan's placement and its
 * alternate's, each with the share of the tenant's requests it runs.
 */
export function tenantLine(tenant: TenantPrediction, plans: SearchReport['plans']): string {
  const { route } = tenant;
  const owner = plans[route?.tenant ?? tenant.name];
  const plan = route?.alternate ? owner?.alternate?.plan : owner;
  const share = route ? `, ${formatShare(route.share)} of its requests` : '';
  return `${tenant.name}: ${tenant.segments} segments (${plan ? whereSegmentsRun(plan) : 'no plan'}${share}), ${tenant.throughputPerS.toFixed(1)} req/s, p50 ${tenant.p50LatencyMs.toFixed(2)} ms, p99 ${tenant.p99LatencyMs.toFixed(2)} ms, SLO met ${(100 * tenant.sloAttainment).toFixed(1)}%`;
}

function formatReport(report: SearchReport): string {
  const lines = [`plan for ${report.machine} (${report.objective}, seed ${report.seed}): ${report.chosen}`];
  for (const note of report.notes) lines.push(`  note: ${note}`);
  lines.push(`  load scale ${report.predicted.loadScale.toFixed(3)}x of the expected rates`);
  for (const tenant of report.predicted.tenants) lines.push(`  ${tenantLine(tenant, report.plans)}`);
  lines.push(
    `  score ${report.score.toFixed(2)} (two-phase search ${report.search.score.toFixed(2)}, from ${report.search.startedFrom}, ${report.search.evaluations} evaluations)`,
  );
  for (const baseline of report.baselines)
    lines.push(`    baseline ${baseline.name}: ${baseline.score.toFixed(2)}`);
  if (report.lpBound)
    lines.push(`  LP upper bound: ${report.lpBound.boundWeightedThroughputPerS.toFixed(2)}`);
  if (report.backend) lines.push(`  policy network on tfjs ${report.backend}`);
  return `${lines.join('\n')}\n`;
}
