import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { type RunningServer, type ServerOptionsInput, startServer } from '../../src/server/index.js';
import { type Clients, connect } from './grpc.js';

export interface TestServer {
  readonly server: RunningServer;
  readonly address: string;
  readonly repository: string;
  readonly clients: Clients;
  /** Shuts the server down gracefully and closes the clients; the repository stays. */
  stop(): Promise<void>;
  /** stop(), then removes the repository folder. */
  dispose(): Promise<void>;
}

/**
 * The one way integration tests get a server: a real hetsched server on 127.0.0.1, port 0, over a
 * temporary model repository (or the given one, to test restarts), with real clients.
 */
export async function startTestServer(options: Partial<ServerOptionsInput> = {}): Promise<TestServer> {
  const repository = options.repository ?? (await mkdtemp(join(tmpdir(), 'hetsched-repo-')));
  const logger = pino({ level: process.env.HETSCHED_LOG_LEVEL ?? 'silent' });
  const server = await startServer(
    { cpuThreads: 2, ...options, host: '127.0.0.1', port: 0, repository },
    logger,
  );
  const clients = connect(server.address);
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      clients.close();
      await server.shutdown();
    })();
    return stopped;
  };
  return {
    server,
    address: server.address,
    repository,
    clients,
    stop,
    dispose: async () => {
      await stop();
      await rm(repository, { recursive: true, force: true });
    },
  };
}
