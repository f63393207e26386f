import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/common/index.js';

const run = promisify(execFile);

/**
 * Calls a method with `buf curl`, a gRPC client written in Go that knows nothing of hetsched but
 * what server reflection tells it: the check that a client with no .proto files can use the server.
 * Resolves with the parsed JSON response; rejects with buf's error output.
 */
export async function bufCurl(address: string, method: string, body?: unknown): Promise<unknown> {
  const args = ['curl', '--protocol', 'grpc', '--http2-prior-knowledge'];
  if (body !== undefined) args.push('-d', '@-');
  args.push(`http://${address}/${method}`);
  const child = run(join(packageRoot, 'node_modules', '.bin', 'buf'), args, { maxBuffer: 256 * 1024 * 1024 });
  if (body !== undefined) {
    child.child.stdin?.end(JSON.stringify(body));
  }
  const { stdout } = await child;
  return JSON.parse(stdout);
}
