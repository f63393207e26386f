import { Server, ServerCredentials } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from 'pino';
import { detectGpu, ProfileStore } from '../profile/index.js';
import { ModelRepository, type ScanProblem } from '../repository/index.js';
import { Engine } from '../runtime/index.js';
import { ServingCatalog } from './catalog.js';
import { inferenceService } from './inference-service.js';
import { modelService } from './model-service.js';
import { resolveServerOptions, type ServerOptions, type ServerOptionsInput } from './options.js';
import { planService } from './plan-service.js';
import { profileService } from './profile-service.js';
import { protos } from './proto.js';

/** Service names as health checks and reflection know them. */
export const SERVICE_NAMES = [
  'hetsched.v1.ModelService',
  'hetsched.v1.InferenceService',
  'hetsched.v1.PlanService',
  'hetsched.v1.ProfileService',
] as const;

export interface RunningServer {
  readonly options: ServerOptions;
  /** The bound port (useful with port 0). */
  readonly port: number;
  readonly address: string;
  readonly catalog: ServingCatalog;
  readonly engine: Engine;
  /** Repository folders that could not be loaded at start. */
  readonly problems: readonly ScanProblem[];
  /**
   * Stops taking calls (health goes NOT_SERVING, new calls get UNAVAILABLE), lets in-flight calls
   * finish for up to drainTimeoutMs, then stops the workers.
   */
  shutdown(): Promise<void>;
}

export async function startServer(input: ServerOptionsInput, logger: Logger): Promise<RunningServer> {
  const options = resolveServerOptions(input);
  const gpu = await detectGpu({ preferred: options.gpu });
  logger.info({ gpu: gpu.provider, software: gpu.software, failures: gpu.failures }, `gpu: ${gpu.detail}`);
  const engine = new Engine({
    cpuThreads: options.cpuThreads,
    intraOpThreads: options.intraOpThreads,
    maxQueueLength: options.maxQueueLength,
    requestSlotsPerThread: options.requestSlotsPerThread,
    gpu,
  });
  let started = false;
  try {
    const { repository, problems } = await ModelRepository.open({
      root: options.repository,
      maxModelBytes: options.maxModelBytes,
      inspect: (bytes) => engine.inspect(bytes),
    });
    for (const problem of problems) logger.warn({ path: problem.path }, `not serving: ${problem.reason}`);
    const catalog = new ServingCatalog(repository, engine);
    const logError = (error: unknown) =>
      logger.error({ err: error }, 'request failed with an unexpected error');

    const server = new Server({
      'grpc.max_receive_message_length': options.maxMessageBytes,
      'grpc.max_send_message_length': options.maxMessageBytes,
    });
    const { grpc, reflected } = protos();
    server.addService(grpc.hetsched.v1.ModelService.service, modelService(catalog, logError));
    server.addService(grpc.hetsched.v1.InferenceService.service, inferenceService(catalog, engine, logError));
    const profiles = ProfileStore.withShipped(options.profiles);
    server.addService(grpc.hetsched.v1.PlanService.service, planService(catalog, profiles, logError));
    server.addService(
      grpc.hetsched.v1.ProfileService.service,
      profileService(catalog, engine, profiles, { intraOpThreads: options.intraOpThreads }, logError),
    );
    const health = new HealthImplementation({
      '': 'SERVING',
      ...Object.fromEntries(SERVICE_NAMES.map((name) => [name, 'SERVING'])),
    });
    health.addToServer(server);
    new ReflectionService(reflected).addToServer(server);

    const port = await new Promise<number>((resolvePort, reject) =>
      server.bindAsync(
        `${options.host}:${options.port}`,
        ServerCredentials.createInsecure(),
        (error, bound) => (error ? reject(error) : resolvePort(bound)),
      ),
    );
    started = true;
    void catalog.restorePlans((record, error) =>
      logger.warn(
        { err: error },
        `${record.name}@${record.version}: stored plan not applied; serving it whole on the CPU`,
      ),
    );

    let stopping: Promise<void> | undefined;
    const shutdown = () => {
      stopping ??= (async () => {
        for (const name of ['', ...SERVICE_NAMES]) health.setStatus(name, 'NOT_SERVING');
        const drained = new Promise<void>((resolveDrain) => server.tryShutdown(() => resolveDrain()));
        const timedOut = new Promise<'timeout'>((resolveTimeout) =>
          setTimeout(() => resolveTimeout('timeout'), options.drainTimeoutMs).unref(),
        );
        if ((await Promise.race([drained, timedOut])) === 'timeout') {
          logger.warn(`in-flight requests did not finish in ${options.drainTimeoutMs} ms; cutting them off`);
          server.forceShutdown();
        }
        await engine.close();
      })();
      return stopping;
    };
    return { options, port, address: `${options.host}:${port}`, catalog, engine, problems, shutdown };
  } finally {
    if (!started) await engine.close();
  }
}
