import { Metadata, type ServiceError, type status } from '@grpc/grpc-js';
import { Code, HetschedError } from '../common/index.js';

/**
 * The server edge's conversion of anything thrown into a gRPC status: a HetschedError keeps its
 * code and caller-facing message; anything else is a bug, reported as INTERNAL with its message
 * (grpc-js would otherwise say UNKNOWN) and logged with its stack.
 */
export function toServiceError(reason: unknown, log: (error: unknown) => void): Partial<ServiceError> {
  const error = reason instanceof HetschedError ? reason : HetschedError.from(reason, Code.Internal);
  if (!(reason instanceof HetschedError)) log(reason);
  return { code: error.code as number as status, details: error.message, metadata: new Metadata() };
}
