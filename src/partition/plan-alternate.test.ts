import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/helpers/thrown.js';
import { Code } from '../common/index.js';
import { buildGraph } from '../graph/index.js';
import { decodeModel } from '../onnx/index.js';
import { synthModel } from '../synth/index.js';
import { explainPlan, formatExplanation, formatShare } from './explain.js';
import { expandPlacement, type Placement } from './placement-spec.js';
import {
  makePlan,
  NESTED_ALTERNATE_MESSAGE,
  type Plan,
  parsePlan,
  sameRoute,
  withLaneThreads,
} from './plan.js';

const SHA = 'ab'.repeat(32);
const META = { sha256: SHA, inputShapes: { input: [1, 64] } };
const chain = buildGraph(decodeModel(synthModel({ kind: 'chain', operators: 6, seed: 1 }).bytes));

const allCpu = (): Plan =>
  makePlan(chain, expandPlacement(chain, { kind: 'all', processor: 'cpu' }), [], {
    ...META,
    spec: 'all-cpu',
  });
/** Two CPU lanes: the first half of the chain on 'cpu', the rest on 'cpu:1'. */
const lanes = (): Plan => {
  const placement: Placement = Object.fromEntries(chain.ops.map((op, i) => [op.id, i < 3 ? 'cpu' : 'cpu:1']));
  return makePlan(chain, placement, [], { ...META, spec: 'explicit' });
};
const allGpu = (): Plan =>
  makePlan(chain, expandPlacement(chain, { kind: 'all', processor: 'gpu:0' }), [], {
    ...META,
    spec: 'all-gpu',
  });

/** The main plan with an alternate, through makePlan. */
function split(share: number, alternate: Plan = allGpu()): Plan {
  const main = allCpu();
  return makePlan(chain, main.placement, [], {
    ...META,
    spec: main.spec,
    alternate: { share, plan: alternate },
  });
}

/** As a user hands it back: JSON text, parsed. */
function asJson(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

function rejects(value: unknown, message: string | RegExp): void {
  const error = thrown(() => parsePlan(value, chain, SHA));
  expect(error.code).toBe(Code.InvalidArgument);
  if (typeof message === 'string') expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
}

describe('Plan.alternate', () => {
  it('is carried by makePlan, last, and read back by parsePlan through JSON', () => {
    const plan = split(1 / 16);
    expect(plan.alternate).toEqual({ share: 1 / 16, plan: allGpu() });
    expect(Object.keys(plan).at(-1)).toBe('alternate');
    expect(parsePlan(asJson(plan), chain, SHA)).toEqual(plan);
    // A bare alternate (no segments, pins or spec) is rebuilt like a bare plan.
    const bare = {
      ...asJson(plan),
      alternate: { share: 0.25, plan: { ...asJson(lanes()), segments: undefined } },
    };
    expect(parsePlan(bare, chain, SHA).alternate).toEqual({ share: 0.25, plan: lanes() });
  });

  it('leaves a plan without one serialised exactly as before: no alternate key at all', () => {
    const text = JSON.stringify(allCpu());
    expect(text).not.toContain('alternate');
    expect(Object.keys(allCpu())).toEqual([
      'kind',
      'version',
      'model',
      'spec',
      'placement',
      'pinned',
      'segments',
      'boundaries',
    ]);
    expect(JSON.stringify(parsePlan(JSON.parse(text), chain, SHA))).toBe(text);
  });

  it('refuses a share outside (0, 1), or one that is not a number', () => {
    const json = asJson(split(0.5));
    const alternate = json.alternate as Record<string, unknown>;
    for (const share of [0, 1, -0.1, 1.5]) {
      rejects(
        { ...json, alternate: { ...alternate, share } },
        `alternate.share: the share of requests the alternate runs must be above 0 and below 1, got ${share}`,
      );
    }
    for (const share of [Number.NaN, Number.POSITIVE_INFINITY, '0.5', null])
      rejects(
        { ...json, alternate: { ...alternate, share } },
        /^not a valid hetsched\.plan v1: alternate\.share: /,
      );
    rejects(
      { ...json, alternate: { plan: alternate.plan } },
      /^not a valid hetsched\.plan v1: alternate\.share: /,
    );
    // makePlan refuses it alike: a search cannot build one either.
    const error = thrown(() => split(Number.NaN));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toMatch(/^alternate\.share: .*got NaN$/);
  });

  it('refuses an alternate with an alternate of its own', () => {
    const nested = asJson(split(0.5));
    rejects({ ...asJson(lanes()), alternate: { share: 0.5, plan: nested } }, NESTED_ALTERNATE_MESSAGE);
    const error = thrown(() => split(0.5, split(0.5)));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe(NESTED_ALTERNATE_MESSAGE);
  });

  it('refuses an alternate that runs exactly as the plan does, and takes one that differs in budgets only', () => {
    const same =
      /^alternate\.plan: the alternate places every operator \(and thread budget\) as the plan does/;
    rejects({ ...asJson(allCpu()), alternate: { share: 0.5, plan: asJson(allCpu()) } }, same);
    const main = lanes();
    const budgeted = makePlan(chain, main.placement, [], {
      ...META,
      spec: 'explicit',
      threads: { 'cpu:1': 2 },
    });
    rejects({ ...asJson(budgeted), alternate: { share: 0.5, plan: asJson(budgeted) } }, same);
    const plan = parsePlan(
      { ...asJson(main), alternate: { share: 0.5, plan: asJson(budgeted) } },
      chain,
      SHA,
    );
    expect(plan.alternate?.plan.threads).toEqual({ 'cpu:1': 2 });
    expect(sameRoute(chain, main, budgeted)).toBe(false);
    expect(sameRoute(chain, budgeted, parsePlan(asJson(budgeted), chain, SHA))).toBe(true);
  });

  it("refuses an alternate for another model, or that does not fit this one, saying it is the alternate's", () => {
    const json = asJson(split(0.5));
    const alternate = json.alternate as { share: number; plan: Record<string, unknown> };
    rejects(
      {
        ...json,
        alternate: {
          ...alternate,
          plan: { ...alternate.plan, model: { sha256: 'cd'.repeat(32), inputShapes: {} } },
        },
      },
      `alternate.plan: the plan is for the model with sha256 ${'cd'.repeat(6)}…, not this one (${'ab'.repeat(6)}…)`,
    );
    rejects(
      { ...json, alternate: { ...alternate, plan: { ...alternate.plan, segments: [] } } },
      "alternate.plan: the plan's segments are not the ones its placement and thread budgets imply; remove them or fix the placement",
    );
    rejects(
      { ...json, alternate: { ...alternate, plan: { ...alternate.plan, kind: 'x' } } },
      /^alternate\.plan: not a valid hetsched\.plan v1: kind: /,
    );
    const other = makePlan(chain, allGpu().placement, [], {
      ...META,
      sha256: 'cd'.repeat(32),
      spec: 'all-gpu',
    });
    const error = thrown(() => split(0.5, other));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toBe('alternate.plan: the alternate is for another model (its sha256 differs)');
  });

  it('is left out by withLaneThreads, which budgets one placement', () => {
    const plan = makePlan(chain, lanes().placement, [], {
      ...META,
      spec: 'explicit',
      alternate: { share: 0.5, plan: allGpu() },
    });
    const wide = parsePlan(asJson(withLaneThreads(plan, 3)), chain, SHA);
    expect(wide.threads).toEqual({ cpu: 3, 'cpu:1': 3 });
    expect('alternate' in wide).toBe(false);
  });

  it('is explained and formatted with its share', () => {
    const plan = split(1 / 16, lanes());
    const explanation = explainPlan(chain, plan);
    expect(explanation.alternate?.share).toBe(1 / 16);
    expect(explanation.alternate?.explanation).toEqual(explainPlan(chain, lanes()));
    const text = formatExplanation(explanation);
    expect(text.startsWith(formatExplanation(explainPlan(chain, allCpu())))).toBe(true);
    expect(text).toContain(
      '\nalternate, for 6.25% of the requests:\n  plan explicit: 2 segment(s) (1 on cpu, 1 on cpu:1)',
    );
    expect('alternate' in explainPlan(chain, allCpu())).toBe(false);
    expect(formatExplanation(explainPlan(chain, allCpu()))).not.toContain('alternate');
  });

  it('formats shares as percentages never rounded to 0% or 100%', () => {
    expect([1 / 16, 0.5, 1 / 3, 1e-5, 0.99999].map(formatShare)).toEqual([
      '6.25%',
      '50%',
      '33.3%',
      '0.001%',
      '99.999%',
    ]);
  });
});
