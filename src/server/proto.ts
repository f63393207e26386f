import { join } from 'node:path';
import { loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { packageRoot } from '../common/index.js';
import type { ProtoGrpcType as InferenceProto } from '../gen/inference_service.js';
import type { ProtoGrpcType as ModelProto } from '../gen/model_service.js';
import type { ProtoGrpcType as PlanProto } from '../gen/plan_service.js';
import type { ProtoGrpcType as ProfileProto } from '../gen/profile_service.js';
import { PROTO_FILES, PROTO_LOADER_OPTIONS } from './proto-options.js';
import { fixMapEntryNames } from './reflection-descriptors.js';

export type HetschedProto = InferenceProto & ModelProto & PlanProto & ProfileProto;

export interface LoadedProtos {
  readonly grpc: HetschedProto;
  /** Every service the server exposes, health included: what reflection describes. */
  readonly reflected: PackageDefinition;
}

let loaded: LoadedProtos | undefined;

/** Parses the .proto files once per process (proto-loader parsing costs tens of ms). */
export function protos(): LoadedProtos {
  if (loaded) return loaded;
  const definition = loadSync([...PROTO_FILES], {
    ...PROTO_LOADER_OPTIONS,
    includeDirs: [join(packageRoot, 'proto')],
  });
  const health = loadSync(healthProtoPath, PROTO_LOADER_OPTIONS);
  loaded = {
    grpc: loadPackageDefinition(definition) as unknown as HetschedProto,
    reflected: fixMapEntryNames({ ...definition, ...health }),
  };
  return loaded;
}
