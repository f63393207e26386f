export { resolveServerOptions, type ServerOptions, type ServerOptionsInput } from './options.js';
export { type HetschedProto, protos } from './proto.js';
export { type RunningServer, SERVICE_NAMES, startServer } from './server.js';
