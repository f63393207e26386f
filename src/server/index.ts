export { resolveServerOptions, type ServerOptions, type ServerOptionsInput } from './options.js';
export { type HetschedProto, protos } from './proto.js';
export { PROTO_FILES, PROTO_LOADER_OPTIONS } from './proto-options.js';
export { type RunningServer, SERVICE_NAMES, startServer } from './server.js';
