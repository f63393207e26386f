import { performance } from 'node:perf_hooks';
import type { ServerUnaryCall } from '@grpc/grpc-js';
import { Code, HetschedError } from '../common/index.js';
import type { InferenceServiceHandlers } from '../gen/hetsched/v1/InferenceService.js';
import type { InferRequest__Output } from '../gen/hetsched/v1/InferRequest.js';
import type { InferResponse } from '../gen/hetsched/v1/InferResponse.js';
import type { Engine } from '../runtime/index.js';
import type { TensorData } from '../tensor/index.js';
import type { ServingCatalog } from './catalog.js';
import { unary } from './unary.js';
import { fromWireTensor, toWireTensor } from './wire-tensor.js';

/** hetsched.v1.InferenceService. */
export function inferenceService(
  catalog: ServingCatalog,
  engine: Engine,
  log: (error: unknown) => void,
): InferenceServiceHandlers {
  return {
    Infer: unary(async (request, call) => {
      const { record, served } = catalog.resolve(request.model, request.version);
      const feeds = new Map<string, TensorData>();
      for (const tensor of request.inputs) {
        if (feeds.has(tensor.name))
          throw new HetschedError(Code.InvalidArgument, `input '${tensor.name}' is given twice`);
        feeds.set(tensor.name, fromWireTensor(tensor));
      }
      const result = await engine.infer(served, feeds, {
        outputs: request.outputs,
        signal: cancellationOf(call),
        ...deadlineOf(call),
        ...(request.placement !== '' && { placement: { spec: request.placement } }),
      });
      const encoding = request.outputEncoding === 'OUTPUT_ENCODING_CONTENTS' ? 'contents' : 'raw';
      const response: InferResponse = {
        model: record.name,
        version: record.version,
        outputs: [...result.outputs].map(([name, tensor]) => toWireTensor(name, tensor, encoding)),
        requestId: request.requestId,
        timing: {
          queueMs: result.queueMs,
          computeMs: result.computeMs,
          executeMs: result.executeMs,
          segments: result.segments,
          alternate: result.alternate,
        },
      };
      return response;
    }, log),
  };
}

/** Aborts when the client cancels or its deadline passes, so queued work is dropped, not done for nobody. */
function cancellationOf(call: ServerUnaryCall<InferRequest__Output, InferResponse>): AbortSignal {
  const controller = new AbortController();
  if (call.cancelled) controller.abort();
  else call.once('cancelled', () => controller.abort());
  return controller.signal;
}

/** The call's deadline on performance.now()'s clock, if it has a finite one. */
function deadlineOf(call: ServerUnaryCall<InferRequest__Output, InferResponse>): { deadlineMs?: number } {
  const deadline = call.getDeadline();
  const wallMs = deadline instanceof Date ? deadline.getTime() : deadline;
  if (!Number.isFinite(wallMs)) return {};
  return { deadlineMs: performance.now() + (wallMs - Date.now()) };
}
