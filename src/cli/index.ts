/** What other stages and the benchmarks use of the command line: the node flags `serve` runs under. */
export { missingNodeFlags, NO_RESPAWN_ENV, respawnWithNodeFlags, SERVE_NODE_FLAGS } from './node-flags.js';
