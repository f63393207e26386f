import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Code, HetschedError } from '../common/index.js';

const execFileAsync = promisify(execFile);

/** Options of {@link npmPack}. */
export interface NpmPackOptions {
  /** Environment of the npm process; this process's unless given (tests point npm at a dead registry). */
  readonly env?: NodeJS.ProcessEnv;
  /** Kill npm after this long; a 15 MB tarball over a slow link needs minutes, a hang must still end. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
/** Enough of npm's stderr to carry its error code and reason without flooding the message. */
const STDERR_CHARS = 2_000;

/**
 * Downloads a package's tarball with `npm pack` (no install, no scripts) into `destDir`, which
 * should be empty, and returns the tarball's path. npm, not a hand-written HTTP client, so that the
 * user's registry, proxy, auth and CA settings and npm's own cache all apply. Failure is UNAVAILABLE
 * with npm's reason.
 */
export async function npmPack(
  packageSpec: string,
  destDir: string,
  options: NpmPackOptions = {},
): Promise<string> {
  // --silent alone would also silence npm's error report; with --json npm still prints that report,
  // as one JSON object on stdout, which says in a line why it failed (ECONNREFUSED, E404, ETARGET...).
  const args = ['pack', packageSpec, '--pack-destination', destDir, '--silent', '--json', '--ignore-scripts'];
  try {
    // cwd outside the project, so that a project's .npmrc or workspace settings cannot redirect the fetch.
    await execFileAsync('npm', args, {
      cwd: destDir,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      // The JSON success report lists every file of the package; some packages have thousands.
      maxBuffer: 64 * 1024 * 1024,
      windowsHide: true,
    });
  } catch (error) {
    throw new HetschedError(Code.Unavailable, `npm pack ${packageSpec} failed: ${failureDetail(error)}`, {
      cause: error,
    });
  }
  const tarballs = (await readdir(destDir)).filter((name) => name.endsWith('.tgz'));
  const [tarball] = tarballs;
  if (tarball === undefined || tarballs.length > 1) {
    throw new HetschedError(
      Code.Internal,
      `npm pack ${packageSpec} succeeded but left ${tarballs.length} tarballs in ${destDir}, expected one`,
    );
  }
  return join(destDir, tarball);
}

/** Why npm failed, in the words most useful to whoever has to fix it. */
function failureDetail(error: unknown): string {
  const failure = error as {
    code?: unknown;
    killed?: boolean;
    signal?: unknown;
    stdout?: unknown;
    stderr?: unknown;
  };
  if (failure.code === 'ENOENT') return 'npm is not on PATH';
  if (failure.killed) return `npm did not finish in time and was stopped (${String(failure.signal)})`;
  const report = npmErrorReport(failure.stdout);
  if (report !== undefined) return report;
  const stderr = typeof failure.stderr === 'string' ? failure.stderr : '';
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  // npm prints config warnings on every run; keep them only when there is nothing else to show.
  const errors = lines.filter((line) => !line.startsWith('npm warn'));
  const text = (errors.length > 0 ? errors : lines).join('\n');
  if (text === '') return error instanceof Error ? error.message : String(error);
  return text.length > STDERR_CHARS ? `...${text.slice(-STDERR_CHARS)}` : text;
}

/** `code: summary (detail)` from the `{ error: { code, summary, detail } }` that `npm --json` prints on failure. */
function npmErrorReport(stdout: unknown): string | undefined {
  if (typeof stdout !== 'string' || stdout.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return undefined;
  }
  const report = (parsed as { error?: { code?: unknown; summary?: unknown; detail?: unknown } } | null)
    ?.error;
  if (typeof report?.summary !== 'string' || report.summary === '') return undefined;
  const code = typeof report.code === 'string' ? `${report.code}: ` : '';
  const detail =
    typeof report.detail === 'string' && report.detail !== '' ? ` (${report.detail.trim()})` : '';
  return `${code}${report.summary.trim()}${detail}`;
}
