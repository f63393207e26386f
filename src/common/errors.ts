/**
 * gRPC status codes, numerically identical to grpc-js's `status` enum. Declared here so that the
 * pure core (graph, cost, search, partition) can raise coded errors without depending on grpc-js.
 */
export enum Code {
  Ok = 0,
  Cancelled = 1,
  Unknown = 2,
  InvalidArgument = 3,
  DeadlineExceeded = 4,
  NotFound = 5,
  AlreadyExists = 6,
  PermissionDenied = 7,
  ResourceExhausted = 8,
  FailedPrecondition = 9,
  Aborted = 10,
  OutOfRange = 11,
  Unimplemented = 12,
  Internal = 13,
  Unavailable = 14,
  DataLoss = 15,
  Unauthenticated = 16,
}

/** The one error type of hetsched: a gRPC status code and a message written for the caller. */
export class HetschedError extends Error {
  override readonly name = 'HetschedError';
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /**
   * Converts any thrown value. A HetschedError passes through unchanged; anything else becomes
   * `fallback` (INTERNAL unless told) with the original kept as `cause`, because grpc-js would
   * otherwise report it as UNKNOWN with a message the caller cannot act on.
   */
  static from(reason: unknown, fallback: Code = Code.Internal, context?: string): HetschedError {
    if (reason instanceof HetschedError) return reason;
    const detail = reason instanceof Error ? reason.message : String(reason);
    return new HetschedError(fallback, context ? `${context}: ${detail}` : detail, { cause: reason });
  }
}

/** A plain-data form of an error, for crossing a worker-thread boundary (structured clone drops class and code). */
export interface ErrorData {
  code: Code;
  message: string;
}

export function toErrorData(reason: unknown, fallback: Code = Code.Internal): ErrorData {
  const error = HetschedError.from(reason, fallback);
  return { code: error.code, message: error.message };
}

export function fromErrorData(data: ErrorData): HetschedError {
  return new HetschedError(data.code, data.message);
}
