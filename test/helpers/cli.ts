import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/common/index.js';

const MAIN = join(packageRoot, 'src', 'cli', 'main.ts');

/** Arguments that run the hetsched CLI from source (tsx), as `node dist/src/cli/main.js` runs it built. */
export function cliArgs(args: readonly string[]): string[] {
  return ['--import', 'tsx', MAIN, ...args];
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How long runCli lets a command run by default. */
const CLI_TIMEOUT_MS = 50_000;

/**
 * Runs `hetsched ARGS` to completion. Killed after `timeoutMs` so that a hung command cannot outlive
 * its test, and then rejects, saying so (a killed command's exit code would read as its failure).
 */
export function runCli(args: readonly string[], timeoutMs = CLI_TIMEOUT_MS): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      cliArgs(args),
      { cwd: packageRoot, maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (error?.killed)
          reject(new Error(`hetsched ${args.join(' ')} did not finish within ${timeoutMs} ms:\n${stderr}`));
        else resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Starts `hetsched ARGS` in the background. */
export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, cliArgs(args), {
    cwd: packageRoot,
    env: { ...process.env, ...env },
    stdio: 'pipe',
  });
}
