import type { ServerWritableStream } from '@grpc/grpc-js';
import { Code, HetschedError, tracer } from '../common/index.js';
import type { ProfileRequest__Output } from '../gen/hetsched/v1/ProfileRequest.js';
import type { ProfileResponse } from '../gen/hetsched/v1/ProfileResponse.js';
import type { ProfileServiceHandlers } from '../gen/hetsched/v1/ProfileService.js';
import { hardwareFingerprint, type ProfileStore } from '../profile/index.js';
import { type Engine, profileAndStore } from '../runtime/index.js';
import type { ServingCatalog } from './catalog.js';
import { toServiceError } from './grpc-errors.js';
import { unary } from './unary.js';

const trace = tracer('server');

/** Measured runs per configuration when the request leaves it 0. */
const DEFAULT_RUNS = 30;
/** More runs than this only make a profile slower, not better (the median is stable well before). */
const MAX_RUNS = 1_000;

/**
 * hetsched.v1.ProfileService: measure registered models on this machine and read the profiles.
 * Profiles run one at a time (each needs the processors to itself to measure them), in call order.
 */
export function profileService(
  catalog: ServingCatalog,
  engine: Engine,
  store: ProfileStore,
  options: { readonly intraOpThreads: number },
  log: (error: unknown) => void,
): ProfileServiceHandlers {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    Profile: (call: ServerWritableStream<ProfileRequest__Output, ProfileResponse>) => {
      const send = (response: ProfileResponse) => {
        if (!call.cancelled && !call.destroyed) call.write(response);
      };
      const run = async () => {
        const request = call.request;
        const runs = request.runs === 0 ? DEFAULT_RUNS : request.runs;
        if (runs > MAX_RUNS) {
          throw new HetschedError(Code.InvalidArgument, `runs is ${runs}; at most ${MAX_RUNS}`);
        }
        const threads = request.cpuThreads.length > 0 ? request.cpuThreads : [options.intraOpThreads];
        if (threads.some((count) => count < 1 || count > 256)) {
          throw new HetschedError(Code.InvalidArgument, 'cpu_threads must each be between 1 and 256');
        }
        const { served } = catalog.resolve(request.model, request.version);
        send({ progress: { step: 'waiting for the profiler', done: 0, total: 1 } });
        const mine = queue.then(() =>
          profileAndStore(engine, store, served, {
            cpuThreads: [...new Set(threads)],
            runs,
            remeasureMachine: request.remeasureMachine,
            softwareGpu: request.softwareGpu,
            onProgress: (progress) => send({ progress }),
          }),
        );
        queue = mine.catch(() => undefined);
        const result = await mine;
        trace(`profiled ${served.model.key}: ${result.path}`);
        send({
          result: {
            profileJson: JSON.stringify(result.model),
            machineJson: JSON.stringify(result.machine),
            path: result.path,
          },
        });
      };
      run().then(
        () => call.end(),
        (error: unknown) => call.emit('error', toServiceError(error, log)),
      );
    },
    GetProfile: unary(async (request) => {
      const { record, served } = catalog.resolve(request.model, request.version);
      const machine = await store.machineFor(hardwareFingerprint(engine.gpu));
      if (!machine) {
        throw new HetschedError(Code.NotFound, 'this machine has no profile yet: call Profile first');
      }
      const shapes = Object.fromEntries(served.model.inputs.map((input) => [input.name, input.shape]));
      const profile = await store.model(machine.name, served.model.sha256, shapes);
      if (!profile) {
        throw new HetschedError(
          Code.NotFound,
          `model '${record.name}' version ${record.version} has no profile on ${machine.name}: call Profile first`,
        );
      }
      return { profileJson: JSON.stringify(profile), machineJson: JSON.stringify(machine) };
    }, log),
  };
}
