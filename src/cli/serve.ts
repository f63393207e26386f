import type { Command } from 'commander';
import type { Logger } from 'pino';
import { REQUEST_SLOTS_PER_THREAD } from '../cost/index.js';
import type { ModelRecord } from '../repository/index.js';
import { type RunningServer, startServer } from '../server/index.js';
import { formatShape } from '../tensor/index.js';
import { seedDemo } from './demo.js';
import { createLogger } from './logger.js';
import { missingNodeFlags, NO_RESPAWN_ENV, SERVE_NODE_FLAGS } from './node-flags.js';
import { intOption } from './parse.js';
import { gpuOption } from './placement.js';

interface ServeFlags {
  host: string;
  port: number;
  repository: string;
  cpuThreads?: number;
  intraOpThreads?: number;
  maxQueue?: number;
  requestSlotsPerThread?: number;
  maxModelBytes?: number;
  gpu: 'auto' | 'webgpu' | 'cuda' | 'none';
  demo: boolean;
  profiles: string;
}

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the models of a model repository over gRPC')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', intOption, 50051)
    .option('--repository <dir>', 'model repository folder (created if missing)', 'model-repository')
    .option('--profiles <dir>', 'where the Profile RPC writes profiles', 'hetsched-profiles')
    .option('--cpu-threads <n>', 'CPU worker threads (default: one per core)', intOption)
    .option('--intra-op-threads <n>', 'onnxruntime threads inside one operator', intOption)
    .option('--max-queue <n>', 'requests that may wait per model before RESOURCE_EXHAUSTED', intOption)
    .option(
      '--request-slots-per-thread <n>',
      `requests running at once per worker thread (default: ${REQUEST_SLOTS_PER_THREAD})`,
      intOption,
    )
    .option('--max-model-bytes <n>', 'largest model accepted by RegisterModel', intOption)
    .addOption(gpuOption())
    .option('--demo', 'on first start, register the demo tenants (PP-OCR det and rec, Silero VAD)', false)
    .action(async (flags: ServeFlags) => {
      const logger = createLogger();
      const server = await startServer(
        {
          host: flags.host,
          port: flags.port,
          repository: flags.repository,
          profiles: flags.profiles,
          gpu: flags.gpu,
          ...(flags.cpuThreads !== undefined && { cpuThreads: flags.cpuThreads }),
          ...(flags.intraOpThreads !== undefined && { intraOpThreads: flags.intraOpThreads }),
          ...(flags.maxQueue !== undefined && { maxQueueLength: flags.maxQueue }),
          ...(flags.requestSlotsPerThread !== undefined && {
            requestSlotsPerThread: flags.requestSlotsPerThread,
          }),
          ...(flags.maxModelBytes !== undefined && { maxModelBytes: flags.maxModelBytes }),
        },
        logger,
      );
      stopOnSignals(server, logger);
      if (flags.demo) {
        try {
          await seedDemo(server, logger);
        } catch (error) {
          logger.error({ err: error }, 'could not register the demo models; serving without them');
        }
      }
      process.stdout.write(banner(server));
    });
}

/** SIGTERM / SIGINT: drain in-flight requests, then exit 0. A second signal exits at once. */
function stopOnSignals(server: RunningServer, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: draining in-flight requests`);
    server.shutdown().then(
      () => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function banner(server: RunningServer): string {
  const records = server.catalog.records();
  const url = `http://${server.address}`;
  const curl = 'npx buf curl --protocol grpc --http2-prior-knowledge';
  const first = records[0];
  const lines = [
    `hetsched serving on ${server.address}`,
    `  repository: ${server.options.repository}`,
    `  cpu: ${server.options.cpuThreads} worker threads x ${server.options.intraOpThreads} intra-op thread(s)`,
    `  gpu: ${server.engine.gpu.detail}`,
    `  node: ${nodeFlagsLine()}`,
    `  models (${records.length}):`,
    ...records.map(describe),
    '  try (reflection is on, no .proto files needed):',
    `    ${curl} ${url}/hetsched.v1.ModelService/ListModels`,
    ...(first ? [`    ${curl} -d '{"name":"${first.name}"}' ${url}/hetsched.v1.ModelService/GetModel`] : []),
    `    ${curl} ${url}/grpc.health.v1.Health/Check`,
    '  Infer examples: README.md, "Calling it"',
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/** The serving flags this node runs with, or those it lacks (see SERVE_NODE_FLAGS). */
function nodeFlagsLine(): string {
  const missing = missingNodeFlags(process.execArgv, SERVE_NODE_FLAGS);
  if (missing.length === 0) return SERVE_NODE_FLAGS.join(' ');
  return `without ${missing.join(' ')} (${NO_RESPAWN_ENV}=1): more garbage collections on the main thread`;
}

function describe(record: ModelRecord): string {
  const inputs = record.inputs
    .map((input) => `${input.name} ${input.dtype}${formatShape(input.shape)}`)
    .join(', ');
  return `    ${record.name}@${record.version}  tenant ${record.tenant}  slo ${record.qos.latencySloMs} ms  inputs ${inputs}`;
}
