import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { type Code, HetschedError } from '../common/index.js';
import { encodeModel, onnx } from '../onnx/index.js';
import { Engine } from '../runtime/index.js';
import { ModelRepository, type RegisterRequest, type RepositoryOptions } from './repository.js';

/**
 * Models, requests and a per-test repository root for ModelRepository's tests, shared by the
 * repository-*.test.ts files. Not part of the repository: nothing outside tests imports this file.
 */

/** The clock every repository opened by `useRepository` reads, in Unix milliseconds. */
export const NOW_MS = 1_700_000_000_000;

/** y = Relu(x) over float32; string dims are open (dim_param). */
export function reluModel(options: { dims?: (number | string)[]; opset?: number } = {}): Uint8Array {
  const shape = {
    dim: (options.dims ?? [1, 4]).map((dim) =>
      typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim },
    ),
  };
  const tensorType = { elemType: onnx.TensorProto.DataType.FLOAT, shape };
  // protobufjs gives a Buffer; a plain Uint8Array compares equal to what tests read back.
  return new Uint8Array(
    encodeModel(
      onnx.ModelProto.create({
        irVersion: 8,
        producerName: 'hetsched-test',
        producerVersion: '1.0',
        opsetImport: [{ domain: '', version: options.opset ?? 17 }],
        graph: {
          name: 'relu',
          node: [{ opType: 'Relu', input: ['x'], output: ['y'], name: 'relu0' }],
          input: [{ name: 'x', type: { tensorType } }],
          output: [{ name: 'y', type: { tensorType } }],
        },
      }),
    ),
  );
}

/** The Relu model with a fixed [1, 4] input, and with an open [N, 4] one. */
export const RELU = reluModel();
export const RELU_DYNAMIC = reluModel({ dims: ['N', 4] });

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A RegisterModel request: version, tenant, QoS and input_shapes unset unless `extra` sets them. */
export function request(
  name: string,
  source: RegisterRequest['source'],
  extra: Partial<RegisterRequest> = {},
): RegisterRequest {
  return { name, version: 0, tenant: '', qos: undefined, inputShapes: new Map(), source, ...extra };
}

async function rejection(promise: Promise<unknown>): Promise<HetschedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HetschedError) return error;
    throw new Error(`expected a HetschedError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a rejection');
}

/** Expects `promise` to reject with a HetschedError of `code` whose message contains `fragment`. */
export async function expectRejects(promise: Promise<unknown>, code: Code, fragment: string): Promise<void> {
  const error = await rejection(promise);
  expect({ code: error.code, message: error.message }).toEqual({
    code,
    message: expect.stringContaining(fragment),
  });
}

/** What `useRepository` gives each test; read its fields inside a test, not when declaring it. */
export interface RepositoryFixture {
  /** The folder that holds each test's root, and places outside it. */
  readonly base: string;
  /** This test's root: fresh, not yet existing. */
  readonly root: string;
  /** Opens a repository on this test's root with the fixture's options, `overrides` winning. */
  open(overrides?: Partial<RepositoryOptions>): ReturnType<typeof ModelRepository.open>;
}

/**
 * Registers the hooks that give the enclosing describe one engine to inspect models with and each
 * of its tests a fresh root; call it once, at the top of the describe.
 */
export function useRepository(): RepositoryFixture {
  let engine: Engine;
  let base: string;
  let root: string;
  let options: RepositoryOptions;
  let counter = 0;

  beforeAll(async () => {
    engine = new Engine({ cpuThreads: 1, intraOpThreads: 1, maxQueueLength: 4 });
    base = await mkdtemp(join(tmpdir(), 'hetsched-'));
  });
  afterAll(async () => {
    await engine.close();
    await rm(base, { recursive: true, force: true });
  });
  beforeEach(() => {
    // A fresh, not yet existing root per test, inside a folder that holds things outside it.
    root = join(base, `repo-${++counter}`);
    options = {
      root,
      maxModelBytes: 1024 * 1024,
      inspect: (bytes) => engine.inspect(bytes),
      now: () => NOW_MS,
    };
  });

  return {
    get base() {
      return base;
    },
    get root() {
      return root;
    },
    open: async (overrides: Partial<RepositoryOptions> = {}) =>
      ModelRepository.open({ ...options, ...overrides }),
  };
}
