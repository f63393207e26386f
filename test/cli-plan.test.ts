import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelPath } from '../src/models/index.js';
import type { Plan } from '../src/partition/index.js';
import type { SearchReport } from '../src/runtime/index.js';
import { runCli } from './helpers/cli.js';
import { MEASURING_CLI_MS, MEASURING_TEST_MS } from './helpers/timeouts.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hetsched-plan-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Two small tenants, an analytic H100 beside this CPU, small budgets: the command, not the search, is under test. */
const args = (...extra: string[]) => [
  'plan',
  '--models',
  'openwakeword,silero-vad-legacy',
  '--rates',
  '40,100',
  '--slo-ms',
  '20,10',
  '--profile',
  'nvidia-h100-sxm',
  '--gpu',
  'none',
  '--rl-episodes',
  '32',
  '--refine-evaluations',
  '120',
  ...extra,
];

describe('hetsched plan', () => {
  it('measures what it lacks, then gives the same report for the same seed, byte for byte', {
    timeout: MEASURING_TEST_MS,
  }, async () => {
    const profiles = join(scratch, 'profiles');
    const first = await runCli(
      args('--profiles', profiles, '--measure', '--seed', '3', '--json'),
      MEASURING_CLI_MS,
    );
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as SearchReport;
    expect(Object.keys(report.plans).sort()).toEqual(['openwakeword', 'silero-vad-legacy']);
    expect(report.seed).toBe(3);

    const out = join(scratch, 'plans');
    const second = await runCli(args('--profiles', profiles, '--seed', '3', '--json', '--out', out));
    const third = await runCli(args('--profiles', profiles, '--seed', '3', '--json'));
    expect(second.code).toBe(0);
    expect(third.stdout).toBe(second.stdout);
    // The plans are the first run's: only its note about measuring differs.
    expect(JSON.parse(second.stdout).plans).toEqual(report.plans);

    // The written plan is a plan of the model: explain takes it.
    const written = JSON.parse(await readFile(join(out, 'openwakeword.plan.json'), 'utf8')) as Plan;
    expect(written).toEqual(report.plans.openwakeword);
    const explained = await runCli([
      'explain',
      '--model',
      modelPath('openwakeword'),
      '--gpu',
      'none',
      '--placement',
      join(out, 'openwakeword.plan.json'),
      '--json',
    ]);
    expect(explained.code).toBe(0);
    expect(JSON.parse(explained.stdout).plan.segments.length).toBeGreaterThan(0);
  });

  it('prints a readable summary naming the baselines, and refuses what it cannot plan', async () => {
    const profiles = join(scratch, 'profiles');
    const text = await runCli(args('--profiles', profiles, '--seed', '3'));
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/baseline model-level/);
    expect(text.stdout).toMatch(/LP upper bound/);

    const unprofiled = await runCli(args('--profiles', join(scratch, 'empty'), '--seed', '3'));
    expect(unprofiled.code).toBe(1);
    expect(unprofiled.stderr).toMatch(/no profile yet: run hetsched profile/);
    const badRates = await runCli(args('--profiles', profiles, '--rates', '1,2,3'));
    expect(badRates.code).toBe(1);
    expect(badRates.stderr).toMatch(/--rates has 3 values for 2 models/);
  });
});
