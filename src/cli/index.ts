/** What the benchmarks use of the command line: the node flags `serve` runs under, and the respawn that gives them. */
export { respawnWithNodeFlags, SERVE_NODE_FLAGS } from './node-flags.js';
