import type { handleUnaryCall, ServerUnaryCall } from '@grpc/grpc-js';
import { toServiceError } from './grpc-errors.js';

/**
 * Adapts an async handler to grpc-js: its result is the response, anything it throws becomes a
 * gRPC status (see toServiceError). The one place handlers meet grpc-js's callback API.
 */
export function unary<Request, Response>(
  handler: (request: Request, call: ServerUnaryCall<Request, Response>) => Promise<Response>,
  log: (error: unknown) => void,
): handleUnaryCall<Request, Response> {
  return (call, callback) => {
    handler(call.request, call).then(
      (response) => callback(null, response),
      (error: unknown) => callback(toServiceError(error, log)),
    );
  };
}
