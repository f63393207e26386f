/**
 * Suite `rl`: how long phase 1's policy takes in tfjs for one search, the policy's own forms
 * (Policy.logits and Policy.loss, written for tfjs's wasm backend) against the textbook forms
 * (tanh, tiled block offsets, two softpluses: rl-policy-run.ts). The work is that of rlSearch's
 * defaults on the 5 x 300 speed problem's decisions (POLICY_SHAPE): per batch, the greedy
 * episode's and the sampled episodes' forward passes and one training step. Each loop runs cold, in a process of its own, alternating forms, ROUNDS times.
 * Reports the median ms of each form and their ratio, and the last step's loss of each (the same
 * weights and data: the two forms train alike where these agree).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/common/index.js';
import { percentile, round } from './stats.js';

/**
 * rlSearch's defaults (episodes 320 in batches of 16, two sweeps, 16 hidden units), and the blocks
 * it decides on the search bench's 5 x 300 speed problem (speedProblem(300)): 64 a tenant, 286 of
 * the 320 movable (the others hold an operator pinned to the CPU).
 */
export const POLICY_SHAPE = {
  batches: 20,
  sweeps: 2,
  episodes: 16,
  decisions: 286,
  hiddenUnits: 16,
  entropyBonus: 0.05,
  learningRate: 0.05,
} as const;

const ROUNDS = 5;
const FORMS = ['policy', 'textbook'] as const;

interface Run {
  readonly ms: number;
  readonly last_loss: number;
}

export async function rlPolicy(): Promise<Record<string, unknown>> {
  const runs = new Map<(typeof FORMS)[number], Run[]>(FORMS.map((form) => [form, []]));
  for (let r = 0; r < ROUNDS; r++)
    for (const form of FORMS) {
      const run = JSON.parse(
        execFileSync(
          process.execPath,
          ['--import', 'tsx', join(packageRoot, 'bench', 'rl-policy-run.ts'), form],
          {
            cwd: packageRoot,
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        )
          .trim()
          .split('\n')
          .at(-1) ?? '{}',
      ) as Run;
      runs.get(form)?.push(run);
      process.stderr.write(`${form}: ${run.ms.toFixed(0)} ms, last loss ${run.last_loss}\n`);
    }
  const medianMs = (form: (typeof FORMS)[number]): number =>
    percentile(
      (runs.get(form) ?? []).map((run) => run.ms),
      50,
    );
  const lastLoss = (form: (typeof FORMS)[number]): number => runs.get(form)?.[0]?.last_loss ?? Number.NaN;
  return {
    ...POLICY_SHAPE,
    policy_ms: round(medianMs('policy')),
    textbook_ms: round(medianMs('textbook')),
    policy_vs_textbook: round(medianMs('policy') / medianMs('textbook')),
    policy_last_loss: lastLoss('policy'),
    textbook_last_loss: lastLoss('textbook'),
  };
}
