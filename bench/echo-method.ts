/** The echo server's method: raw bytes both ways, no protobuf. */
const identity = (bytes: Buffer): Buffer => bytes;

export const ECHO_METHOD = {
  path: '/bench.Echo/Echo',
  requestStream: false,
  responseStream: false,
  requestSerialize: identity,
  requestDeserialize: identity,
  responseSerialize: identity,
  responseDeserialize: identity,
  originalName: 'Echo',
} as const;
