/**
 * Time allowed to a test that profiles real models on this machine before it checks anything.
 * A profile runs every operator of every model many times on onnxruntime; on CI's shared 2-core
 * machines that alone has taken 45 to 60 s, the default limit (vitest.config.ts), and a test
 * failed there for being slow, not wrong. The limit still catches a hang.
 */
export const MEASURING_TEST_MS = 300_000;

/**
 * A measuring command's own limit (runCli), within its test's: on a shared 2-core machine
 * (December 2026), `hetsched plan --measure` of two small models ran past runCli's default 50 s
 * while the rest of the suite ran beside it.
 */
export const MEASURING_CLI_MS = 240_000;
