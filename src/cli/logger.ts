import { type Logger, pino } from 'pino';

/** Structured logs (JSON lines) on stderr, so stdout stays for what a command prints for people or pipes. */
export function createLogger(level = process.env.HETSCHED_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'hetsched' } }, pino.destination(2));
}
