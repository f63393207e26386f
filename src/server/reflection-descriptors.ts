import { createRequire } from 'node:module';
import type { PackageDefinition } from '@grpc/proto-loader';

// protobufjs's descriptor extension is CommonJS without an ESM entry.
const require = createRequire(import.meta.url);
const { FileDescriptorProto } = require('protobufjs/ext/descriptor') as {
  FileDescriptorProto: {
    decode(bytes: Uint8Array): DescriptorFile;
    encode(message: DescriptorFile): { finish(): Uint8Array };
  };
};

interface DescriptorField {
  name?: string;
  typeName?: string;
}
interface DescriptorMessage {
  name?: string;
  field?: DescriptorField[];
  nestedType?: DescriptorMessage[];
  options?: { mapEntry?: boolean };
}
interface DescriptorFile {
  messageType?: DescriptorMessage[];
}

/**
 * Makes proto-loader's file descriptors acceptable to strict reflection clients. protobufjs names
 * a map field's entry type after the field (`Statuses`), while protobuf requires `StatusesEntry`;
 * Go clients (grpcurl, buf curl) then reject the whole file and report its services as missing
 * (seen with grpc.health.v1's `HealthListResponse.statuses`). Renames every such entry type and
 * the field that refers to it; everything else is passed through unchanged.
 */
export function fixMapEntryNames(definition: PackageDefinition): PackageDefinition {
  const fixed = new Map<string, Buffer>();
  const fix = (bytes: Buffer): Buffer => {
    const key = Buffer.from(bytes).toString('base64');
    let result = fixed.get(key);
    if (!result) {
      const file = FileDescriptorProto.decode(bytes);
      result = renameMapEntries(file.messageType ?? [])
        ? Buffer.from(FileDescriptorProto.encode(file).finish())
        : bytes;
      fixed.set(key, result);
    }
    return result;
  };
  const out: PackageDefinition = {};
  for (const [name, entry] of Object.entries(definition)) {
    // Message and enum definitions carry descriptors; service definitions are method maps.
    const protos = 'fileDescriptorProtos' in entry ? entry.fileDescriptorProtos : undefined;
    out[name] = Array.isArray(protos)
      ? ({ ...entry, fileDescriptorProtos: protos.map(fix) } as typeof entry)
      : entry;
  }
  return out;
}

function renameMapEntries(messages: DescriptorMessage[]): boolean {
  let changed = false;
  for (const message of messages) {
    const nested = new Map((message.nestedType ?? []).map((type) => [type.name ?? '', type]));
    for (const field of message.field ?? []) {
      const typeName = field.typeName ?? '';
      const last = typeName.slice(typeName.lastIndexOf('.') + 1);
      const entry = nested.get(last);
      if (!entry?.options?.mapEntry || entry.name !== last) continue;
      const wanted = mapEntryName(field.name ?? '');
      if (wanted === last) continue;
      entry.name = wanted;
      field.typeName = typeName.slice(0, typeName.length - last.length) + wanted;
      changed = true;
    }
    if (renameMapEntries(message.nestedType ?? [])) changed = true;
  }
  return changed;
}

/**
 * The entry type name protoc gives a map field, and that Go's protodesc insists on
 * (`tag_names` and `tagNames` -> `TagNamesEntry`, `last_entry` -> `LastEntryEntry`).
 */
function mapEntryName(fieldName: string): string {
  let name = '';
  let upperNext = true;
  for (const char of fieldName) {
    if (char === '_') {
      upperNext = true;
    } else {
      name += upperNext ? char.toUpperCase() : char;
      upperNext = false;
    }
  }
  return `${name}Entry`;
}
