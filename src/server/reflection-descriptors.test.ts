import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protos } from './proto.js';
import { PROTO_LOADER_OPTIONS } from './proto-options.js';
import { fixMapEntryNames } from './reflection-descriptors.js';

interface Field {
  name: string;
  typeName?: string;
}
interface Message {
  name: string;
  field: Field[];
  nestedType: Message[];
  options?: { mapEntry?: boolean };
}
interface FileDescriptor {
  name: string;
  messageType: Message[];
}

const require = createRequire(import.meta.url);
const { FileDescriptorProto } = require('protobufjs/ext/descriptor') as {
  FileDescriptorProto: { decode(bytes: Uint8Array): FileDescriptor };
};

const DEMO_PROTO = `syntax = "proto3";
package demo.v1;

message Value { string text = 1; }

message Holder {
  map<string, Value> labels = 1;
  map<string, int32> last_entry = 2;
  message Inner { map<int64, string> tag_names = 1; }
  Inner inner = 3;
  Value plain = 4;
}

service Demo { rpc Get(Holder) returns (Value); }
`;

const PLAIN_PROTO = `syntax = "proto3";
package plain.v1;
message Point { int32 x = 1; int32 y = 2; }
`;

/** The serialized descriptor files of one package-definition entry (a message or an enum). */
function descriptorBytes(definition: PackageDefinition, name: string): Buffer[] {
  const entry = definition[name];
  const protos = entry && 'fileDescriptorProtos' in entry ? entry.fileDescriptorProtos : undefined;
  if (!Array.isArray(protos)) throw new Error(`${name} has no descriptors`);
  return protos;
}

function files(definition: PackageDefinition, name: string): FileDescriptor[] {
  return descriptorBytes(definition, name).map((bytes) => FileDescriptorProto.decode(bytes));
}

function message(messages: readonly Message[], name: string): Message {
  const found = messages.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no message ${name} among ${messages.map((m) => m.name).join(', ')}`);
  return found;
}

function holder(definition: PackageDefinition): Message {
  const [file] = files(definition, 'demo.v1.Holder');
  if (!file) throw new Error('no descriptor file');
  return message(file.messageType, 'Holder');
}

/** [field name, type name] of a message's fields, and the names of its map-entry nested types. */
function shape(of: Message): { fields: [string, string][]; entries: string[] } {
  return {
    fields: of.field.map((field) => [field.name, field.typeName ?? '']),
    entries: of.nestedType.filter((type) => type.options?.mapEntry).map((type) => type.name),
  };
}

describe('fixMapEntryNames', () => {
  let dir: string;
  let demoPath: string;
  let plainPath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hetsched-'));
    demoPath = join(dir, 'demo.proto');
    plainPath = join(dir, 'plain.proto');
    await writeFile(demoPath, DEMO_PROTO);
    await writeFile(plainPath, PLAIN_PROTO);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts from protobufjs naming the entry type after the field', () => {
    const loaded = loadSync(demoPath, PROTO_LOADER_OPTIONS);
    expect(shape(holder(loaded))).toEqual({
      fields: [
        ['labels', 'Labels'],
        ['lastEntry', 'LastEntry'],
        ['inner', 'Inner'],
        ['plain', 'Value'],
      ],
      entries: ['Labels', 'LastEntry'],
    });
  });

  it('renames each entry type to <Field>Entry and points the map field at it', () => {
    const fixed = fixMapEntryNames(loadSync(demoPath, PROTO_LOADER_OPTIONS));
    const outer = holder(fixed);
    expect(shape(outer)).toEqual({
      fields: [
        ['labels', 'LabelsEntry'],
        // Regression: a field whose name already ends in "entry" was skipped, leaving `LastEntry`
        // where protoc (and Go's protodesc) require `LastEntryEntry`.
        ['lastEntry', 'LastEntryEntry'],
        ['inner', 'Inner'],
        ['plain', 'Value'],
      ],
      entries: ['LabelsEntry', 'LastEntryEntry'],
    });
    // The entry keeps its key/value fields, and its value still refers to the value type.
    expect(message(outer.nestedType, 'LabelsEntry').field).toEqual([
      expect.objectContaining({ name: 'key' }),
      expect.objectContaining({ name: 'value', typeName: 'Value' }),
    ]);
    expect(shape(message(outer.nestedType, 'Inner'))).toEqual({
      fields: [['tagNames', 'TagNamesEntry']],
      entries: ['TagNamesEntry'],
    });
  });

  it('follows protoc for snake_case field names too (keepCase)', () => {
    const fixed = fixMapEntryNames(loadSync(demoPath, { ...PROTO_LOADER_OPTIONS, keepCase: true }));
    const outer = holder(fixed);
    expect(shape(outer).entries).toEqual(['LabelsEntry', 'LastEntryEntry']);
    expect(shape(outer).fields[1]).toEqual(['last_entry', 'LastEntryEntry']);
    expect(shape(message(outer.nestedType, 'Inner'))).toEqual({
      fields: [['tag_names', 'TagNamesEntry']],
      entries: ['TagNamesEntry'],
    });
  });

  it('fixes a file once for every entry that shares it, and passes services through', () => {
    const loaded = loadSync(demoPath, PROTO_LOADER_OPTIONS);
    const fixed = fixMapEntryNames(loaded);
    expect(Object.keys(fixed)).toEqual(Object.keys(loaded));
    expect(fixed['demo.v1.Demo']).toBe(loaded['demo.v1.Demo']);
    const [valueBytes] = descriptorBytes(fixed, 'demo.v1.Value');
    expect(valueBytes).toBeInstanceOf(Buffer);
    expect(valueBytes).toBe(descriptorBytes(fixed, 'demo.v1.Holder')[0]);
    expect(valueBytes).not.toBe(descriptorBytes(loaded, 'demo.v1.Value')[0]);
  });

  it('leaves the given definition unchanged', () => {
    const loaded = loadSync(demoPath, PROTO_LOADER_OPTIONS);
    fixMapEntryNames(loaded);
    expect(shape(holder(loaded)).entries).toEqual(['Labels', 'LastEntry']);
  });

  it('is idempotent', () => {
    const once = fixMapEntryNames(loadSync(demoPath, PROTO_LOADER_OPTIONS));
    const twice = fixMapEntryNames(once);
    expect(shape(holder(twice))).toEqual(shape(holder(once)));
  });

  it('passes a file without maps through as the same bytes', () => {
    const loaded = loadSync(plainPath, PROTO_LOADER_OPTIONS);
    const fixed = fixMapEntryNames(loaded);
    const [before] = descriptorBytes(loaded, 'plain.v1.Point');
    expect(before).toBeInstanceOf(Buffer);
    expect(descriptorBytes(fixed, 'plain.v1.Point')[0]).toBe(before);
  });

  it("fixes grpc.health.v1's HealthListResponse.statuses in the server's reflected definitions", () => {
    const reflected = protos().reflected;
    const file = files(reflected, 'grpc.health.v1.HealthListResponse').find((candidate) =>
      candidate.messageType.some((type) => type.name === 'HealthListResponse'),
    );
    if (!file) throw new Error('no descriptor declares HealthListResponse');
    expect(shape(message(file.messageType, 'HealthListResponse'))).toEqual({
      fields: [['statuses', 'StatusesEntry']],
      entries: ['StatusesEntry'],
    });
  });
});
