import { Code, HetschedError } from '../common/index.js';
import type { ModelServiceHandlers } from '../gen/hetsched/v1/ModelService.js';
import type { RegisterModelRequest__Output } from '../gen/hetsched/v1/RegisterModelRequest.js';
import type { RegisterRequest } from '../repository/index.js';
import type { ServingCatalog } from './catalog.js';
import { unary } from './unary.js';
import { toWireModel } from './wire-model.js';
import { parseShape } from './wire-tensor.js';

/** hetsched.v1.ModelService: registration, listing and removal of models. */
export function modelService(catalog: ServingCatalog, log: (error: unknown) => void): ModelServiceHandlers {
  return {
    RegisterModel: unary(async (request) => {
      const record = await catalog.register(toRegisterRequest(request));
      return { model: toWireModel(record) };
    }, log),
    UnregisterModel: unary(async (request) => {
      const removed = await catalog.unregister(request.name, request.version);
      return { removed: removed.map(toWireModel) };
    }, log),
    ListModels: unary(async (request) => ({ models: catalog.records(request.tenant).map(toWireModel) }), log),
    GetModel: unary(
      async (request) => ({ model: toWireModel(catalog.record(request.name, request.version)) }),
      log,
    ),
  };
}

function toRegisterRequest(request: RegisterModelRequest__Output): RegisterRequest {
  const inputShapes = new Map<string, number[]>();
  for (const entry of request.inputShapes) {
    if (inputShapes.has(entry.name)) {
      throw new HetschedError(Code.InvalidArgument, `input_shapes names '${entry.name}' twice`);
    }
    // -1 (keep open) is allowed here, unlike in tensor shapes.
    inputShapes.set(
      entry.name,
      entry.shape.map((text) =>
        text === '-1' ? -1 : (parseShape([text], `input_shapes for '${entry.name}'`)[0] ?? -1),
      ),
    );
  }
  let source: RegisterRequest['source'];
  if (request.source === 'modelBytes' && request.modelBytes) source = { bytes: request.modelBytes };
  else if (request.source === 'modelPath' && request.modelPath !== undefined)
    source = { path: request.modelPath };
  else
    throw new HetschedError(
      Code.InvalidArgument,
      'set model_bytes (the ONNX file) or model_path (a file in the model repository)',
    );
  return {
    name: request.name,
    version: request.version,
    tenant: request.tenant,
    qos: request.qos ?? undefined,
    inputShapes,
    source,
  };
}
